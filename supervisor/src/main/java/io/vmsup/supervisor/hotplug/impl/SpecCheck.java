package io.vmsup.supervisor.hotplug.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.HostFacts;
import io.vmsup.config.SpecResult;
import io.vmsup.config.VmSpecs;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.spec.VmDefinition;
import io.vmsup.supervisor.spec.impl.ConfigSpecParser;

/**
 * Validates a whole edited spec on a worker, with the host checks of today (host facts are probed per request: a
 * device such as {@code /dev/vhost-vsock} may have appeared or gone since the daemon started).
 */
final class SpecCheck {

  private final Vertx vertx;
  private final String qemuBinary;

  SpecCheck(Vertx vertx, String qemuBinary) {
    this.vertx = vertx;
    this.qemuBinary = qemuBinary;
  }

  /**
   * @param newIndex index of the device being attached in {@code devices} (its violations are reported as
   *                 {@code device...}), or -1
   */
  Future<Checked> check(JsonObject spec, int newIndex) {
    String text = spec.encode();
    return vertx.executeBlocking(() -> {
      VmDefinition def;
      try {
        def = new ConfigSpecParser(HostFacts.probe(), qemuBinary).parse(text);
      } catch (VmException e) {
        throw newIndex < 0 ? e : renamed(e, "devices[" + newIndex + "]");
      }
      SpecResult typed = VmSpecs.parse(text);
      if (!(typed instanceof SpecResult.Valid valid)) {
        throw new VmException(ErrorCode.INTERNAL, "spec passed validation once but not twice: " + typed);
      }
      return new Checked(spec, def, valid.spec());
    }, false);
  }

  private static VmException renamed(VmException e, String prefix) {
    if (e.code() != ErrorCode.INVALID) {
      return e;
    }
    JsonArray out = new JsonArray();
    for (Object o : e.details().getJsonArray("violations", new JsonArray())) {
      JsonObject v = ((JsonObject) o).copy();
      String path = v.getString("path", "");
      if (path.equals(prefix) || path.startsWith(prefix + ".") || path.startsWith(prefix + "[")) {
        v.put("path", "device" + path.substring(prefix.length()));
      }
      out.add(v);
    }
    return VmException.invalid(e.getMessage(), out);
  }
}
