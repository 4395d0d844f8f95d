package io.vmsup.supervisor.audit;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;

/**
 * Audits what the daemon itself refused on a VM's behalf, not asked by any caller: each {@code qmp-peer-refused}
 * event of this host's VMs becomes a record {@code {"transport":"qmp","scope":"daemon","op":"qmp.connect",
 * "vm","outcome":"refused","message"}}. A local consumer: in a fleet each member audits its own VMs only.
 */
public final class EventAudit {

  private EventAudit() {
  }

  /** Starts auditing; install before the VMs load (a re-attach at daemon start may be refused). */
  public static MessageConsumer<Object> install(Vertx vertx, AuditLog audit) {
    return vertx.eventBus().localConsumer(Addresses.EVENTS, m -> {
      if (m.body() instanceof JsonObject e && "qmp-peer-refused".equals(e.getString("type"))) {
        audit.record(AuditLog.entry("qmp", "daemon", "qmp.connect", e.getString("vm"), "refused", null,
            "pid " + e.getValue("pid") + ": " + e.getString("detail")));
      }
    });
  }
}
