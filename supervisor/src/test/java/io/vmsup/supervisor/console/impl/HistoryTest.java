package io.vmsup.supervisor.console.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {

  @TempDir
  Path dir;

  @Test
  void lastLinesWithOffsetsAndThePartialLineLeftForTheStream() throws Exception {
    Path log = dir.resolve("serial.log");
    Files.writeString(log, "a\nbb\nccc\ndd", StandardCharsets.UTF_8);
    History.Result r = History.read(log, 2, 1024);
    assertThat(r.lines()).containsExactly(new ConsoleLine("bb", 2), new ConsoleLine("ccc", 5));
    assertThat(r.next()).isEqualTo(9);
    assertThat(History.read(log, 10, 1024).lines()).extracting(ConsoleLine::line).containsExactly("a", "bb", "ccc");
  }

  @Test
  void aLogLargerThanOneBlockIsReadBackwardsAcrossBlocks() throws Exception {
    Path log = dir.resolve("serial.log");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      sb.append("line-").append(i).append('\n');
    }
    Files.writeString(log, sb, StandardCharsets.UTF_8);
    History.Result r = History.read(log, 3, 1024);
    assertThat(r.lines()).extracting(ConsoleLine::line).containsExactly("line-19997", "line-19998", "line-19999");
    long offset = sb.indexOf("line-19997\n");
    assertThat(r.lines().get(0).offset()).isEqualTo(offset);
    assertThat(r.next()).isEqualTo(sb.length());
    assertThat(History.read(log, 10_000, 1024).lines()).hasSize(10_000)
        .first().extracting(ConsoleLine::line).isEqualTo("line-10000");
  }

  @Test
  void afterAnOffsetOnlyLaterLinesAndTruncationIsSaid() throws Exception {
    Path log = dir.resolve("serial.log");
    Files.writeString(log, "a\nbb\nccc\ndd\ne", StandardCharsets.UTF_8);
    History.Result r = History.read(log, 10, 2, 1024);
    assertThat(r.lines()).containsExactly(new ConsoleLine("ccc", 5), new ConsoleLine("dd", 9));
    assertThat(r.truncated()).isFalse();
    assertThat(r.next()).isEqualTo(12);
    History.Result one = History.read(log, 1, 0, 1024);
    assertThat(one.lines()).containsExactly(new ConsoleLine("dd", 9));
    assertThat(one.truncated()).isTrue();
    assertThat(History.read(log, 10, 9, 1024).lines()).isEmpty();
    assertThat(History.read(log, 10, 500, 1024).lines()).as("a log smaller than 'after' is a new log")
        .extracting(ConsoleLine::line).containsExactly("a", "bb", "ccc", "dd");
  }

  @Test
  void afterWorksAcrossBlocks() throws Exception {
    Path log = dir.resolve("serial.log");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      sb.append("line-").append(i).append('\n');
    }
    Files.writeString(log, sb, StandardCharsets.UTF_8);
    long after = sb.indexOf("line-100\n");
    History.Result r = History.read(log, 10_000, after, 1024);
    assertThat(r.truncated()).isTrue();
    History.Result all = History.read(log, 10_000, sb.indexOf("line-15000\n"), 1024);
    assertThat(all.truncated()).isFalse();
    assertThat(all.lines()).hasSize(4999).first().extracting(ConsoleLine::line).isEqualTo("line-15001");
  }

  @Test
  void aMissingLogHasNoHistory() throws Exception {
    History.Result r = History.read(dir.resolve("none.log"), 5, 1024);
    assertThat(r.lines()).isEmpty();
    assertThat(r.next()).isZero();
  }

  // a confined QEMU's uid may replace the serial log it created by a link; the daemon reads history as root
  @Test
  void aSerialLogReplacedByALinkToAHostFileGivesNoHistory() throws Exception {
    Path shadow = Files.writeString(dir.resolve("shadow"), "root:$6$secret:19000\nbin:*:19000\n");
    Path log = Files.createSymbolicLink(dir.resolve("serial.log"), shadow);
    Files.createSymbolicLink(dir.resolve("serial.log.1"), shadow);
    assertThat(History.read(log, 10, 1024).lines()).isEmpty();
  }
}
