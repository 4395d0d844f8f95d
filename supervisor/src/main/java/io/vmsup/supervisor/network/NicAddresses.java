package io.vmsup.supervisor.network;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Adds {@code "nics": [{"id","network","mac","ipv4"}]} to a VM view for its NICs on managed networks: the MAC from
 * the spec or the daemon's assignment ({@code pciLayout.macs}), the IPv4 address from the network's DHCP lease of
 * that MAC (null without one). A network that cannot be asked leaves {@code ipv4} null; the view is never failed.
 */
public final class NicAddresses {

  private static final long TIMEOUT_MS = 5_000;

  private NicAddresses() {
  }

  public static Future<JsonObject> add(Vertx vertx, JsonObject view) {
    JsonArray devices = view.getJsonObject("spec", new JsonObject()).getJsonArray("devices", new JsonArray());
    JsonObject macs = view.getJsonObject("pciLayout", new JsonObject()).getJsonObject("macs", new JsonObject());
    JsonArray nics = new JsonArray();
    for (Object d : devices) {
      if (d instanceof JsonObject o && "nic".equals(o.getValue("kind")) && o.getValue("network") instanceof String n
          && o.getValue("id") instanceof String id) {
        Object mac = o.getValue("mac") instanceof String m ? m : macs.getValue(id);
        nics.add(new JsonObject().put("id", id).put("network", n)
            .put("mac", mac == null ? null : mac.toString().toLowerCase(Locale.ROOT)).putNull("ipv4"));
      }
    }
    if (nics.isEmpty()) {
      return Future.succeededFuture(view);
    }
    return vertx.eventBus().<JsonObject>request(Addresses.NETWORK_LIST, new JsonObject(),
            // this host's networks: in a fleet the local router answers the plain address with this host's
            new DeliveryOptions().setSendTimeout(TIMEOUT_MS).setLocalOnly(true))
        .map(Message::body)
        .map(list -> {
          Map<String, String> byMac = new HashMap<>();
          for (Object net : list.getJsonArray("networks", new JsonArray())) {
            for (Object l : ((JsonObject) net).getJsonArray("leases", new JsonArray())) {
              JsonObject lease = (JsonObject) l;
              byMac.put(((JsonObject) net).getString("name") + "/" + lease.getString("mac"), lease.getString("ip"));
            }
          }
          nics.forEach(o -> {
            JsonObject nic = (JsonObject) o;
            nic.put("ipv4", byMac.get(nic.getString("network") + "/" + nic.getString("mac")));
          });
          return view.put("nics", nics);
        })
        .otherwise(t -> view.put("nics", nics));
  }
}
