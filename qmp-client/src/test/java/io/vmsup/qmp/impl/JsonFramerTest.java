package io.vmsup.qmp.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonFramerTest {

  private final List<String> frames = new ArrayList<>();
  private final List<QmpProtocolException> errors = new ArrayList<>();

  private JsonFramer framer(int max) {
    return new JsonFramer(max, b -> frames.add(b.toString(StandardCharsets.UTF_8)), errors::add);
  }

  private static final String TRICKY = "{\"return\": {\"s\": \"}{ \\\"quoted\\\" \\\\\", \"a\": [{\"b\": \"]\"}],"
      + " \"u\": \"\\u007d\\n\"}, \"id\": 7}";
  private static final String EVENT = "{\"event\": \"STOP\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}";
  private static final String STREAM = TRICKY + "\r\n" + EVENT + "\r\n";

  @Test
  void aFrameSplitAtEveryByteBoundaryComesOutWhole() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= bytes.length; cut++) {
      frames.clear();
      JsonFramer f = framer(1 << 20);
      f.handle(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, 0, cut)));
      f.handle(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, cut, bytes.length)));
      assertThat(frames).as("cut at %d", cut).containsExactly(TRICKY, EVENT);
    }
    assertThat(errors).isEmpty();
  }

  @Test
  void oneByteAtATime() {
    JsonFramer f = framer(1 << 20);
    for (byte b : STREAM.getBytes(StandardCharsets.UTF_8)) {
      f.handle(Buffer.buffer(new byte[] {b}));
    }
    assertThat(frames).containsExactly(TRICKY, EVENT);
    assertThat(new JsonObject(frames.get(0)).getJsonObject("return").getString("s")).isEqualTo("}{ \"quoted\" \\");
  }

  @Test
  void bracesAndQuotesInsideStringsDoNotEndAFrame() {
    JsonFramer f = framer(1 << 20);
    f.handle(Buffer.buffer("{\"a\": \"}\"}{\"b\": \"\\\"}\"}"));
    assertThat(frames).containsExactly("{\"a\": \"}\"}", "{\"b\": \"\\\"}\"}");
  }

  @Test
  void crlfIsOptionalAndExtraWhitespaceIsSkipped() {
    JsonFramer f = framer(1 << 20);
    f.handle(Buffer.buffer("{}{\"x\":1}\r\n\r\n \t{\"y\":\"a\r\nb\"}\n"));
    assertThat(frames).containsExactly("{}", "{\"x\":1}", "{\"y\":\"a\r\nb\"}");
    assertThat(errors).isEmpty();
  }

  @Test
  void multiByteUtf8SurvivesSplits() {
    String text = "{\"s\": \"h\u00e9llo \u2603\"}";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    JsonFramer f = framer(1 << 20);
    for (byte b : bytes) {
      f.handle(Buffer.buffer(new byte[] {b}));
    }
    assertThat(frames).containsExactly(text);
  }

  @Test
  void anOversizeFrameKillsTheFramer() {
    JsonFramer f = framer(64);
    f.handle(Buffer.buffer("{\"ok\": 1}\r\n{\"big\": \"" + "x".repeat(40)));
    f.handle(Buffer.buffer("x".repeat(40) + "\"}\r\n{\"after\": 1}"));
    assertThat(frames).containsExactly("{\"ok\": 1}");
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).getMessage()).contains("larger than 64 bytes");
    assertThat(f.isDead()).isTrue();
  }

  @Test
  void aFrameOfExactlyTheLimitPasses() {
    String exact = "{\"k\": \"" + "x".repeat(64 - 9) + "\"}";
    assertThat(exact).hasSize(64);
    JsonFramer f = framer(64);
    f.handle(Buffer.buffer(exact.substring(0, 30)));
    f.handle(Buffer.buffer(exact.substring(30)));
    assertThat(frames).containsExactly(exact);
  }

  @Test
  void garbageBetweenFramesKillsTheFramerForGood() {
    JsonFramer f = framer(1 << 20);
    f.handle(Buffer.buffer("{\"a\": 1}\r\nxyz{\"b\": 2}"));
    f.handle(Buffer.buffer("{\"c\": 3}"));
    assertThat(frames).containsExactly("{\"a\": 1}");
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).getMessage()).contains("0x78");
    assertThat(f.isDead()).isTrue();
  }
}
