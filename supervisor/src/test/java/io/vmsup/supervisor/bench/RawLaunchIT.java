package io.vmsup.supervisor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vmsup.qmp.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's raw baseline never waits forever: a QEMU that connects back is ready; one that exits first or never
 * connects back is counted as not ready (and killed), not waited for.
 */
class RawLaunchIT {

  private static final Duration T = Duration.ofSeconds(60);
  private final Vertx vertx = Vertx.vertx();

  @TempDir
  Path tmp;

  @AfterEach
  void close() throws Exception {
    Await.result(vertx.close());
  }

  @Test
  void aQemuThatConnectsBackIsReady() throws Exception {
    RawLaunch raw = new RawLaunch(vertx, List.of("qemu-system-x86_64", "-machine", "none", "-nodefaults",
        "-display", "none", "-chardev", "socket,id=vmsup-qmp,path=/ref/qmp.sock,server=on,wait=off", "-mon",
        "chardev=vmsup-qmp,mode=control"), Path.of("/ref"));
    RawLaunch.Ready r = Await.result(raw.launch(tmp.resolve("a"), T), T);
    assertThat(r.nanos()).isPositive();
    RawLaunch.quit(r);
    assertThat(r.exit().get()).isZero();
    r.close();
  }

  @Test
  void aQemuThatExitsFirstIsCountedNotWaitedFor() throws Exception {
    RawLaunch raw = new RawLaunch(vertx, List.of("/bin/sh", "-c", "exit 3"), Path.of("/ref"));
    Throwable t = Await.failure(raw.launch(tmp.resolve("b"), Duration.ofMinutes(10)), T);
    assertThat(t).isInstanceOf(RawLaunch.NotReady.class);
    assertThat(((RawLaunch.NotReady) t).kind()).isEqualTo("exited before ready");
    assertThat(t.getMessage()).contains("exit code 3");
  }

  @Test
  void aQemuThatNeverConnectsIsKilledAtTheLimit() throws Exception {
    RawLaunch raw = new RawLaunch(vertx, List.of("/usr/bin/tail", "-f", "/ref/qemu.log"), Path.of("/ref"));
    Throwable t = Await.failure(raw.launch(tmp.resolve("c"), Duration.ofMillis(300)), T);
    assertThat(t).isInstanceOf(RawLaunch.NotReady.class);
    assertThat(((RawLaunch.NotReady) t).kind()).isEqualTo("never connected back");
    String needle = tmp.resolve("c/qemu.log").toString();
    // killed, not left behind: no process names its directory once the spawner reaped it
    long deadline = System.nanoTime() + T.toNanos();
    while (ProcessHandle.allProcesses().anyMatch(p -> p.info().arguments().map(a -> List.of(a).contains(needle))
        .orElse(false)) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(ProcessHandle.allProcesses().filter(p -> p.info().arguments()
        .map(a -> List.of(a).contains(needle)).orElse(false)).count()).isZero();
  }
}
