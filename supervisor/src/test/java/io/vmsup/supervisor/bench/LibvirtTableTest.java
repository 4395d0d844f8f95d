package io.vmsup.supervisor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What {@code bench libvirt} prints: each ratio beside its target, and by how much a missed target is missed. */
class LibvirtTableTest {

  private static String printed(LibvirtTable t) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    t.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "1.00 1.00 1.00");
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static LibvirtTable table() {
    return new LibvirtTable("t", new PrintStream(OutputStream.nullOutputStream()));
  }

  @Test
  void aMetTargetSaysMetAndAMissedOneSaysByHowMuch() {
    LibvirtTable t = table();
    t.row("pass-through p50 (us)", 100, 1000, 0.2);   // 10x faster: target 5x met
    t.row("memory idle (MiB)", 150, 50, 1.5);          // 3.0 against 1.5: missed by 2x, needs <= 75
    t.row("start p50 (ms)", 40, 400);                  // no target
    String out = printed(t);
    assertThat(out).containsPattern("pass-through p50 \\(us\\) +100\\.0 +1000\\.0 +0\\.10 +<= 0\\.20 +met");
    assertThat(out).containsPattern("memory idle \\(MiB\\) +150\\.0 +50\\.0 +3\\.00 +<= 1\\.50 +MISSED by 2\\.00x "
        + "\\(vmsup needs <= 75\\.0\\)");
    assertThat(out).containsPattern("start p50 \\(ms\\) +40\\.0 +400\\.0 +0\\.10 *\\R");
    assertThat(out).contains("load average 1.00 1.00 1.00 at start");
  }

  @Test
  void withoutLibvirtNoRatioAndNoVerdict() {
    LibvirtTable t = table();
    t.row("memory idle (MiB)", 150, Double.NaN, 1.5);
    assertThat(printed(t)).containsPattern("memory idle \\(MiB\\) +150\\.0 +NaN +<= 1\\.50 *\\R")
        .doesNotContain("MISSED").doesNotContain(" met");
  }

  @Test
  void procStatReadsThisProcess() throws Exception {
    long pid = ProcessHandle.current().pid();
    assertThat(ProcStat.rssKib(pid)).isGreaterThan(1024);
    long before = ProcStat.cpuTicks(pid);
    long spin = System.nanoTime() + 300_000_000L;
    double x = 0;
    while (System.nanoTime() < spin) {
      x += Math.sqrt(x + 1);
    }
    assertThat(x).isPositive();
    assertThat(ProcStat.cpuTicks(pid)).isGreaterThan(before);
    assertThat(ProcStat.microsPerTick()).isPositive();
  }
}
