package io.vmsup.supervisor.daemon;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;

/** Logs every supervisor event as one line naming the VM. */
final class EventLog {

  private static final System.Logger LOG = System.getLogger("vmsup.events");

  private EventLog() {
  }

  static Future<Void> start(Vertx vertx) {
    return vertx.eventBus().<Object>consumer(Addresses.EVENTS, msg -> {
      if (msg.body() instanceof JsonObject event) {
        LOG.log(System.Logger.Level.INFO, line(event));
      }
    }).completion();
  }

  static String line(JsonObject e) {
    String vm = "vm=" + e.getString("vm", "?");
    if ("state".equals(e.getString("type"))) {
      String reason = e.getString("reason");
      return vm + " state " + e.getString("from") + " -> " + e.getString("to")
          + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
    }
    if ("qmp".equals(e.getString("type"))) {
      JsonObject data = e.getJsonObject("data");
      return vm + " qmp event " + e.getString("event") + (data == null || data.isEmpty() ? "" : " " + data.encode());
    }
    StringBuilder line = new StringBuilder(vm).append(' ').append(e.getString("type", "event"));
    for (String key : e.fieldNames()) {
      if (!key.equals("vm") && !key.equals("type") && !key.equals("timestamp")) {
        line.append(' ').append(key).append('=').append(e.getValue(key));
      }
    }
    return line.toString();
  }
}
