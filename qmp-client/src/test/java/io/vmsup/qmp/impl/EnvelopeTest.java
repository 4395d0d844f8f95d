package io.vmsup.qmp.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpBlockCommands;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpDeviceCommands;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The bytes of a command on the wire: QEMU 7.2 reads its monitor one byte per system call, so the envelope carries
 * nothing QEMU does not need (an empty {@code arguments} object is left out), and what it carries is exact.
 */
class EnvelopeTest {

  private static String wire(QmpCommand<?> command, long id) {
    ByteBuf buf = Envelope.encode(UnpooledByteBufAllocator.DEFAULT, command, id);
    try {
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      buf.release();
    }
  }

  @Test
  void anEmptyArgumentsObjectIsLeftOut() {
    assertThat(wire(QmpCommand.raw("query-status", new JsonObject()), 16))
        .isEqualTo("{\"execute\":\"query-status\",\"id\":16}");
    assertThat(wire(QmpCommand.raw("query-status", null), 16))
        .isEqualTo("{\"execute\":\"query-status\",\"id\":16}");
  }

  @Test
  void theMetricsSamplesTypedQueriesCarryOnlyWhatDiffersFromQemusDefaults() {
    assertThat(wire(QmpBlockCommands.queryBlockstats(false), 5)).isEqualTo("{\"execute\":\"query-blockstats\",\"id\":5}");
    assertThat(wire(QmpBlockCommands.queryBlockstats(true), 5))
        .isEqualTo("{\"execute\":\"query-blockstats\",\"arguments\":{\"query-nodes\":true},\"id\":5}");
    assertThat(wire(QmpDeviceCommands.queryCpusFast(), 6)).isEqualTo("{\"execute\":\"query-cpus-fast\",\"id\":6}");
  }

  @Test
  void argumentsThatSaySomethingAreWrittenAsGiven() {
    JsonObject args = new JsonObject().put("flat", true).put("empty", new JsonObject()).put("list", new JsonArray());
    assertThat(wire(QmpCommand.raw("query-named-block-nodes", args), 3))
        .isEqualTo("{\"execute\":\"query-named-block-nodes\",\"arguments\":{\"flat\":true,\"empty\":{},\"list\":[]},"
            + "\"id\":3}");
    // what the caller passed decodes back to the same JSON: the envelope adds only the name and the id
    String text = wire(QmpCommand.raw("device_del", new JsonObject().put("id", "n\"1\u00e9")), 1234567890123L);
    JsonObject parsed = new JsonObject(text);
    assertThat(parsed.getString("execute")).isEqualTo("device_del");
    assertThat(parsed.getJsonObject("arguments")).isEqualTo(new JsonObject().put("id", "n\"1\u00e9"));
    assertThat(parsed.getLong("id")).isEqualTo(1234567890123L);
  }

  /** A connection reuses one envelope: each command's bytes are exact whatever came before (large or refused). */
  @Test
  void oneEnvelopeReusedWritesEachCommandExactly() {
    Envelope e = new Envelope();
    String big = "x".repeat(100_000);
    e.encode(QmpCommand.raw("qom-list", new JsonObject().put("path", big)), 123);
    assertThat(text(e)).isEqualTo("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"" + big + "\"},\"id\":123}");
    JsonObject unencodable = new JsonObject().put("x", new Object());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> e.encode(QmpCommand.raw("qom-get", unencodable), 7))
        .isInstanceOf(RuntimeException.class);
    e.encode(QmpCommand.raw("query-status", null).asOob(), 9);
    assertThat(text(e)).isEqualTo("{\"exec-oob\":\"query-status\",\"id\":9}");
    e.encode(QmpCommand.raw("a\"b", null), 1234567890123L);
    assertThat(text(e)).isEqualTo("{\"execute\":\"a\\\"b\",\"id\":1234567890123}");
  }

  private static String text(Envelope e) {
    ByteBuf buf = e.writeTo(UnpooledByteBufAllocator.DEFAULT.heapBuffer());
    try {
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      buf.release();
    }
  }
}
