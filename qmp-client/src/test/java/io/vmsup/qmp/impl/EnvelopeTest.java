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
}
