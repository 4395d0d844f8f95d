package io.vmsup.supervisor.metrics.impl;

import static org.assertj.core.api.Assertions.assertThat;

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
