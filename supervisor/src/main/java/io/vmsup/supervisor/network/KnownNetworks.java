package io.vmsup.supervisor.network;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.Device;
import io.vmsup.config.Nic;
import io.vmsup.config.VmSpec;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A NIC that names a managed network must name one that exists: checked at create and at attach (asking the network
 * verticle), so the mistake is a 400 with the NIC's path then, not only a failed start later. A network deleted
 * after that is still caught at start ({@code devices[N].network}); a network in use cannot be deleted.
 */
public final class KnownNetworks {

  private static final long TIMEOUT_MS = 10_000;

  private KnownNetworks() {
  }

  /** Fails INVALID naming every NIC of the spec whose network does not exist ({@code devices[N].network}). */
  public static Future<Void> check(Vertx vertx, VmSpec spec) {
    Map<String, String> named = new LinkedHashMap<>();
    List<Device> devices = spec.devices();
    for (int i = 0; i < devices.size(); i++) {
      if (devices.get(i) instanceof Nic n && n.network().isPresent()) {
        named.put("devices[" + i + "].network", n.network().get());
      }
    }
    return check(vertx, named);
  }

  /** The same for the device of an attach request ({@code {"name","device":{...}}}), path {@code device.network}. */
  public static Future<Void> checkAttach(Vertx vertx, JsonObject body) {
    JsonObject device = body == null ? null : body.getValue("device") instanceof JsonObject d ? d : null;
    if (device == null || !"nic".equals(device.getValue("kind")) || !(device.getValue("network") instanceof String n)) {
      return Future.succeededFuture();
    }
    return check(vertx, Map.of("device.network", n));
  }

  private static Future<Void> check(Vertx vertx, Map<String, String> named) {
    if (named.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<String>> asks = new ArrayList<>();
    // this host's networks (in a fleet the local router answers the plain address with this host's own)
    named.forEach((path, network) -> asks.add(vertx.eventBus().request(Addresses.NETWORK_GET,
            new JsonObject().put("name", network), new DeliveryOptions().setSendTimeout(TIMEOUT_MS)
                .setLocalOnly(true))
        .map((String) null)
        .recover(t -> t instanceof ReplyException r && r.failureCode() == ErrorCode.NOT_FOUND.code()
            ? Future.succeededFuture(path)
            : Future.failedFuture(new VmException(ErrorCode.UNAVAILABLE, "cannot tell whether network '" + network
                + "' of " + path + " exists: " + t.getMessage())))));
    return Future.all(asks).compose(all -> {
      JsonArray violations = new JsonArray();
      for (Future<String> f : asks) {
        if (f.result() != null) {
          violations.add(new JsonObject().put("path", f.result()).put("message", "no network '"
              + named.get(f.result()) + "' (create it first: vmsup network create; vmsup network list shows them)"));
        }
      }
      if (violations.isEmpty()) {
        return Future.succeededFuture();
      }
      JsonObject first = violations.getJsonObject(0);
      return Future.failedFuture(VmException.invalid(first.getString("path") + ": " + first.getString("message"),
          violations));
    });
  }
}
