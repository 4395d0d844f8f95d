package io.vmsup.supervisor.bridge.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The TCP bridge's framer and frame check below the socket: byte at a time, split anywhere, hostile lengths. */
class FrameGateTest {

  private static Buffer frame(String json) {
    Buffer body = Buffer.buffer(json);
    return Buffer.buffer().appendInt(body.length()).appendBuffer(body);
  }

  @Test
  void framesComeOutWholeWhateverTheSplit() {
    Buffer stream = frame("{\"type\":\"ping\"}").appendBuffer(frame("{\"a\":1}")).appendBuffer(frame("{}"));
    for (int chunk = 1; chunk <= stream.length(); chunk++) {
      List<String> out = new ArrayList<>();
      FrameGate gate = new FrameGate(64, f -> out.add(f.getString(4, f.length())));
      for (int i = 0; i < stream.length(); i += chunk) {
        assertThat(gate.feed(stream.getBuffer(i, Math.min(stream.length(), i + chunk)))).isNull();
      }
      assertThat(out).as("chunks of %d", chunk).containsExactly("{\"type\":\"ping\"}", "{\"a\":1}", "{}");
      assertThat(gate.buffered()).isZero();
    }
  }

  @Test
  void aLengthOutsideTheLimitKillsTheGateForGood() {
    List<Buffer> out = new ArrayList<>();
    FrameGate gate = new FrameGate(64, out::add);
    assertThat(gate.feed(Buffer.buffer().appendInt(65))).contains("65 bytes: allowed 2..64");
    assertThat(gate.feed(frame("{}"))).isNotNull();
    assertThat(out).isEmpty();
    assertThat(gate.buffered()).isZero();
    assertThat(new FrameGate(64, out::add).feed(Buffer.buffer().appendInt(-1))).contains("4294967295 bytes");
    assertThat(new FrameGate(64, out::add).feed(Buffer.buffer().appendInt(1))).contains("1 bytes");
  }

  @Test
  void anAnnouncedFrameIsNeverHeldBeyondItsLimit() {
    FrameGate gate = new FrameGate(1024, f -> { });
    gate.feed(Buffer.buffer().appendInt(1024));
    for (int i = 0; i < 1023; i++) {
      assertThat(gate.feed(Buffer.buffer(new byte[] {'x'}))).isNull();
    }
    assertThat(gate.buffered()).isEqualTo(4 + 1023);
  }

  @Test
  void theCheckNamesWhatIsWrong() {
    assertThat(FrameCheck.problem(frame("{\"type\":\"send\",\"address\":\"vmsup.vm.list\",\"replyAddress\":\"r\","
        + "\"headers\":{\"authorization\":\"Bearer x\",\"timeout\":5000},\"body\":{}}"))).isNull();
    assertThat(FrameCheck.problem(frame("{\"type\":\"ping\"}"))).isNull();
    assertThat(FrameCheck.problem(frame("\"text\""))).isEqualTo("not a JSON object");
    assertThat(FrameCheck.problem(frame("{\"type\":\"message\",\"address\":\"a\"}"))).startsWith("type:");
    assertThat(FrameCheck.problem(frame("{\"type\":\"send\"}"))).startsWith("address:");
    assertThat(FrameCheck.problem(frame("{\"type\":\"send\",\"address\":\"" + "a".repeat(1025) + "\"}")))
        .startsWith("address:");
    assertThat(FrameCheck.problem(frame("{\"type\":\"send\",\"address\":\"a\",\"replyAddress\":[]}")))
        .startsWith("replyAddress:");
    assertThat(FrameCheck.problem(frame("{\"type\":\"send\",\"address\":\"a\",\"headers\":[]}")))
        .isEqualTo("headers: must be an object");
    assertThat(FrameCheck.problem(frame("{\"type\":\"send\",\"address\":\"a\",\"headers\":{\"LOCALONLY\":\"true\"}}")))
        .isEqualTo("headers.LOCALONLY: not allowed");
    assertThat(FrameCheck.problem(frame("{\"type\":\"send\",\"address\":\"a\",\"headers\":{\"timeout\":1.5}}")))
        .startsWith("headers.timeout:");
    assertThat(FrameCheck.problem(frame("{\"type\":\"send\",\"address\":\"a\",\"failureCode\":\"x\"}")))
        .startsWith("failureCode:");
    assertThat(FrameCheck.problem(Buffer.buffer().appendInt(3).appendBytes(new byte[] {(byte) 0xff, '{', '}'})))
        .isEqualTo("not a JSON object");
  }
}
