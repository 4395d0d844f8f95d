package io.vmsup.supervisor.console.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

  private static final byte[] TEXT = "first\r\nzweite ünd\n\nlast-partial".getBytes(StandardCharsets.UTF_8);

  @Test
  void linesCarryTheOffsetOfTheirFirstByteAndDropCrlf() {
    LineSplitter s = new LineSplitter(100, 1024);
    List<ConsoleLine> lines = s.feed(Buffer.buffer(TEXT));
    assertThat(lines).containsExactly(new ConsoleLine("first", 100), new ConsoleLine("zweite ünd", 107),
        new ConsoleLine("", 119));
    assertThat(s.end()).isEqualTo(100 + TEXT.length);
  }

  @Test
  void byteAtATimeGivesTheSameLinesEvenInsideAMultiByteCharacter() {
    LineSplitter s = new LineSplitter(100, 1024);
    List<ConsoleLine> lines = new ArrayList<>();
    for (byte b : TEXT) {
      lines.addAll(s.feed(Buffer.buffer(new byte[] {b})));
    }
    assertThat(lines).containsExactly(new ConsoleLine("first", 100), new ConsoleLine("zweite ünd", 107),
        new ConsoleLine("", 119));
    assertThat(s.feed(Buffer.buffer("\n"))).containsExactly(new ConsoleLine("last-partial", 120));
  }

  @Test
  void anOverlongLineIsCutAtTheLimitAndTheRestContinuesAfterIt() {
    LineSplitter s = new LineSplitter(0, 4);
    assertThat(s.feed(Buffer.buffer("abcdefghij\nxy\n"))).containsExactly(new ConsoleLine("abcd", 0),
        new ConsoleLine("efgh", 4), new ConsoleLine("ij", 8), new ConsoleLine("xy", 11));
  }

  @Test
  void resetForgetsThePartialLine() {
    LineSplitter s = new LineSplitter(0, 64);
    s.feed(Buffer.buffer("half"));
    s.reset(0);
    assertThat(s.feed(Buffer.buffer("new\n"))).containsExactly(new ConsoleLine("new", 0));
  }
}
