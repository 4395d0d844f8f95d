package io.vmsup.supervisor.metrics.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatsTest {

  @Test
  void commandNamesWithSpacesAndParenthesesDoNotShiftTheFields() {
    // proc(5) stat line; utime=250 stime=50 ticks
    String stat = "4242 (qemu (vm) 1) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 3 0 100 1000000 800";
    assertThat(ProcStats.cpuSeconds(stat)).isEqualTo(3.0);
  }

  @Test
  void rssComesFromVmRssInKilobytes() {
    String status = "Name:\tqemu\nVmPeak:\t  2000 kB\nVmRSS:\t   32768 kB\nThreads:\t3\n";
    assertThat(ProcStats.rssBytes(status)).isEqualTo(32768 * 1024.0);
  }

  @Test
  void aTruncatedStatLineIsRefusedAndAStatusWithoutVmRssHasNoRss() {
    assertThatThrownBy(() -> ProcStats.cpuSeconds("4242 (qemu) S 1 4242 4242 0 -1 4194560"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProcStats.cpuSeconds("4242 qemu S 1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProcStats.cpuSeconds("1 (q) S 1 1 1 0 -1 0 0 0 0 0 x 50 0"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ProcStats.rssBytes("Name:\tkthreadd\nState:\tS (sleeping)\nThreads:\t1\n")).isNaN();
  }

  @Test
  void theFiguresEqualWhatTheKernelSaysOfThisProcess() throws Exception {
    long self = ProcessHandle.current().pid();
    ProcStats read = ProcStats.readAll(java.util.List.of(self)).get(self);
    String status = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/status"));
    String rss = status.lines().filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow();
    long kb = Long.parseLong(rss.replaceAll("[^0-9]", ""));
    // RSS moves a little between the two reads; the same field, in bytes
    assertThat(read.rssBytes()).isBetween(kb * 1024.0 * 0.8, kb * 1024.0 * 1.2);
    String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat")).replaceAll(".*\\) ", "")
        .split(" ");
    double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    assertThat(read.cpuSeconds()).isPositive().isLessThanOrEqualTo(cpu);
  }

  @Test
  void readsLiveProcessesAndLeavesOutAGoneOne() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    long self = ProcessHandle.current().pid();
    java.util.Map<Long, ProcStats> all = ProcStats.readAll(java.util.List.of(gone.pid(), self));
    assertThat(all).containsOnlyKeys(self);
    assertThat(all.get(self).rssBytes()).isGreaterThan(1_000_000);
    assertThat(all.get(self).cpuSeconds()).isGreaterThan(0);
  }
}
