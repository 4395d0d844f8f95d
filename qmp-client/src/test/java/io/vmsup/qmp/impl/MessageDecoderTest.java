package io.vmsup.qmp.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.MigrationStatus;
import io.vmsup.qmp.QmpProtocolException;
import io.vmsup.qmp.RunState;
import org.junit.jupiter.api.Test;

class MessageDecoderTest {

  @Test
  void decodesEachShape() {
    ServerMessage greeting = MessageDecoder.decode(Buffer.buffer("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22,"
        + " \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18\"}, \"capabilities\": [\"oob\"]}}"));
    ServerMessage ret = MessageDecoder.decode(Buffer.buffer("{\"return\": [1], \"id\": 5}"));
    ServerMessage err = MessageDecoder.decode(Buffer.buffer(
        "{\"id\": 6, \"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"no\"}}"));
    ServerMessage noId = MessageDecoder.decode(Buffer.buffer("{\"error\": {\"class\": \"GenericError\", \"desc\": \"x\"}}"));
    ServerMessage event = MessageDecoder.decode(Buffer.buffer("{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": true},"
        + " \"timestamp\": {\"seconds\": -1, \"microseconds\": -1}}"));

    assertThat(((ServerMessage.Greeting) greeting).greeting().version().micro()).isEqualTo(22);
    assertThat(((ServerMessage.Greeting) greeting).greeting().offers("oob")).isTrue();
    assertThat(ret).isEqualTo(new ServerMessage.Return(5L, new io.vertx.core.json.JsonArray().add(1)));
    assertThat(err).isEqualTo(new ServerMessage.Error(6L, "DeviceNotFound", "no"));
    assertThat(((ServerMessage.Error) noId).id()).isNull();
    ServerMessage.Event e = (ServerMessage.Event) event;
    assertThat(e.event().hasTimestamp()).isFalse();
    assertThat(e.event().data().getBoolean("guest")).isTrue();
  }

  /** Replies skip the map of their top level: every shape decodes as it does through Vert.x's own JSON object. */
  @Test
  void aReplysTopLevelDecodesAsTheFullDecodeDoes() {
    for (String json : new String[] {
        "{\"return\": {\"status\": \"running\", \"running\": true}, \"id\": 12}", "{\"id\": 3, \"return\": {}}",
        "{\"return\": 1, \"return\": [2], \"id\": 4}", "{\"return\": null, \"id\": 5}", "{\"return\": \"x\"}",
        "{\"return\": {}, \"id\": \"7\"}", "{\"return\": {}, \"id\": null}", "{\"return\": {}, \"id\": -1}",
        "{\"return\": {}, \"id\": 1.5}", "{\"return\": {}, \"id\": 99999999999999999999}",
        "{\"return\": {}, \"id\": 8, \"error\": {\"class\": \"GenericError\", \"desc\": \"d\"}}",
        "{\"id\": 9, \"error\": {\"class\": \"GenericError\", \"desc\": \"d\"}, \"return\": 2}",
        "{\"id\": 10, \"id\": 11, \"return\": {}}", "{\"event\": \"STOP\", \"return\": {}, \"id\": 12}"}) {
      byte[] b = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(MessageDecoder.decode(b, 0, b.length)).as(json).isEqualTo(MessageDecoder.decode(new JsonObject(json)));
    }
    for (String json : new String[] {"{}", "{\"id\": 1}", "{\"id\": 1, \"x\": 2}"}) {
      assertThatThrownBy(() -> MessageDecoder.decode(Buffer.buffer(json))).as(json)
          .isInstanceOf(QmpProtocolException.class).hasMessageContaining("unknown message");
    }
  }

  @Test
  void anUnknownShapeIsAProtocolError() {
    assertThatThrownBy(() -> MessageDecoder.decode(Buffer.buffer("{\"what\": 1}")))
        .isInstanceOf(QmpProtocolException.class).hasMessageContaining("unknown message");
    assertThatThrownBy(() -> MessageDecoder.decode(Buffer.buffer("{\"error\": 3}")))
        .isInstanceOf(QmpProtocolException.class);
  }

  @Test
  void unknownEnumValuesNeverThrow() {
    assertThat(Decoders.status(new JsonObject().put("status", "levitating").put("running", false)).status())
        .isEqualTo(RunState.UNKNOWN);
    assertThat(Decoders.status(new JsonObject().put("status", "finish-migrate")).status())
        .isEqualTo(RunState.FINISH_MIGRATE);
    assertThat(Decoders.migration(new JsonObject().put("status", "teleporting")).status())
        .isEqualTo(MigrationStatus.UNKNOWN);
    assertThat(Decoders.migration(new JsonObject()).status()).isEqualTo(MigrationStatus.NONE);
  }
}
