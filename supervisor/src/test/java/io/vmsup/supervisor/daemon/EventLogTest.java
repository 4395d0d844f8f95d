package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class EventLogTest {

  @Test
  void everyLineNamesTheVm() {
    assertThat(EventLog.line(new JsonObject().put("type", "state").put("vm", "web1").put("from", "STARTING")
        .put("to", "RUNNING").put("reason", "qmp-ready").put("timestamp", "t")))
        .isEqualTo("vm=web1 state STARTING -> RUNNING (qmp-ready)");
    assertThat(EventLog.line(new JsonObject().put("type", "qmp").put("vm", "web1").put("event", "SHUTDOWN")
        .put("data", new JsonObject().put("guest", true)).put("timestamp", "t")))
        .isEqualTo("vm=web1 qmp event SHUTDOWN {\"guest\":true}");
    assertThat(EventLog.line(new JsonObject().put("type", "stop-step").put("vm", "web1").put("step", "quit")
        .put("timestamp", "t"))).isEqualTo("vm=web1 stop-step step=quit");
  }
}
