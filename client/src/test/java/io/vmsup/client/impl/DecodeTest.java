package io.vmsup.client.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.client.OtherEvent;
import io.vmsup.client.QmpEvent;
import io.vmsup.client.StateEvent;
import io.vmsup.client.VmState;
import io.vmsup.client.VmView;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Replies and events as the daemon documents them decode into records; anything else names the member at fault. */
class DecodeTest {

  private static JsonObject view() {
    return new JsonObject("{\"name\":\"web1\",\"state\":\"RUNNING\",\"reason\":\"qmp-ready\","
        + "\"since\":\"2026-11-25T08:47:06.123Z\",\"pid\":4242,\"restarts\":1,\"qemuVersion\":\"7.2.22\","
        + "\"startedAt\":\"2026-11-25T08:47:06.090Z\",\"lastStartMs\":33.1,\"tainted\":false,\"persisted\":true,"
        + "\"host\":\"h2\",\"spec\":{\"name\":\"web1\"},\"pciLayout\":{}}");
  }

  @Test
  void aDocumentedViewDecodesWithEveryMember() {
    VmView v = Decode.view(view());
    assertThat(v).extracting(VmView::name, VmView::state, VmView::reason, VmView::pid, VmView::restarts,
        VmView::qemuVersion, VmView::host, VmView::exitCode)
        .containsExactly("web1", VmState.RUNNING, "qmp-ready", 4242L, 1, "7.2.22", "h2", null);
    assertThat(v.since()).isEqualTo(Instant.parse("2026-11-25T08:47:06.123Z"));
    assertThat(v.json().containsKey("pciLayout")).isTrue();
  }

  @Test
  void aViewWithoutAProcessHasNullPidAndNoHost() {
    JsonObject o = view().put("pid", (Object) null);
    o.remove("host");
    assertThat(Decode.view(o).pid()).isNull();
    assertThat(Decode.view(o).host()).isNull();
  }

  @Test
  void hostileViewsNameTheMemberAtFault() {
    assertThatThrownBy(() -> Decode.view(view().put("state", "ZOMBIE"))).hasMessageContaining("state")
        .hasMessageContaining("ZOMBIE");
    assertThatThrownBy(() -> Decode.view(view().put("pid", "4242"))).hasMessageContaining("pid must be an integer");
    assertThatThrownBy(() -> Decode.view(view().put("pid", 1.5))).hasMessageContaining("pid must be an integer");
    assertThatThrownBy(() -> Decode.view(view().put("since", "yesterday"))).hasMessageContaining("since");
    assertThatThrownBy(() -> Decode.view(view().put("spec", new JsonArray()))).hasMessageContaining("spec");
    JsonObject nameless = view();
    nameless.remove("name");
    assertThatThrownBy(() -> Decode.view(nameless)).hasMessageContaining("name must be a string, not absent");
    assertThatThrownBy(() -> Decode.views(new JsonObject().put("vms", new JsonArray().add(1))))
        .hasMessageContaining("vms must hold objects");
    assertThatThrownBy(() -> Decode.stopped(view().put("steps", new JsonArray().add(3))))
        .hasMessageContaining("steps must hold strings");
  }

  @Test
  void eventsDecodeByTypeAndUnknownTypesAreKept() {
    StateEvent s = (StateEvent) Decode.event(new JsonObject("{\"type\":\"state\",\"vm\":\"a\",\"from\":\"RUNNING\","
        + "\"to\":\"UNKNOWN\",\"reason\":\"host-lost\",\"host\":\"h1\",\"timestamp\":\"2026-11-25T08:47:09.001Z\"}"));
    assertThat(s).extracting(StateEvent::from, StateEvent::to, StateEvent::reason, StateEvent::host)
        .containsExactly(VmState.RUNNING, VmState.UNKNOWN, "host-lost", "h1");
    QmpEvent q = (QmpEvent) Decode.event(new JsonObject("{\"type\":\"qmp\",\"vm\":\"a\",\"event\":\"STOP\","
        + "\"timestamp\":\"2026-11-25T08:47:09.001Z\"}"));
    assertThat(q.event()).isEqualTo("STOP");
    assertThat(q.data()).isNull();
    OtherEvent o = (OtherEvent) Decode.event(new JsonObject("{\"type\":\"fenced\",\"vm\":\"a\",\"generation\":3}"));
    assertThat(o.type()).isEqualTo("fenced");
    assertThat(o.json().getInteger("generation")).isEqualTo(3);
    assertThatThrownBy(() -> Decode.event(new JsonObject("{\"type\":\"state\",\"vm\":\"a\",\"to\":\"RUNNING\"}")))
        .hasMessageContaining("timestamp is missing");
    assertThatThrownBy(() -> Decode.event(new JsonObject("{\"vm\":\"a\"}"))).hasMessageContaining("type");
  }

  @Test
  void consoleRepliesKeepEveryLineWithItsOffset() {
    var read = Decode.consoleLines(new JsonObject("{\"vm\":\"a\",\"lines\":[{\"line\":\"x\",\"offset\":0},"
        + "{\"line\":\"y\",\"offset\":2}],\"next\":4,\"truncated\":true}"));
    assertThat(read.lines()).extracting(l -> l.line() + "@" + l.offset()).containsExactly("x@0", "y@2");
    assertThat(read.next()).isEqualTo(4);
    assertThat(read.truncated()).isTrue();
    assertThatThrownBy(() -> Decode.consoleLine(new JsonObject("{\"vm\":\"a\",\"line\":\"x\"}")))
        .hasMessageContaining("offset is missing");
  }
}
