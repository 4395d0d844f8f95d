package io.vmsup.supervisor.metrics.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vmsup.qmp.testing.Await;
import java.time.Duration;
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
  void readsALiveProcess() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ProcStats self = Await.result(ProcStats.read(vertx.fileSystem(), ProcessHandle.current().pid()),
          Duration.ofSeconds(10));
      assertThat(self.rssBytes()).isGreaterThan(1_000_000);
      assertThat(self.cpuSeconds()).isGreaterThan(0);
    } finally {
      Await.result(vertx.close(), Duration.ofSeconds(10));
    }
  }
}
