package io.vmsup.supervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A watch on a real process: alive, stopped by SIGSTOP, and dead once gone, through the descriptor opened first. */
class ProcWatchTest {

  @Test
  void theOpenDescriptorFollowsItsProcessThroughStopAndDeath() throws Exception {
    Process p = new ProcessBuilder("sleep", "60").start();
    try (ProcWatch watch = ProcWatch.open(p.pid(), 0)) {
      Evidence first = watch.probe();
      assertThat(first.liveness()).isEqualTo(Liveness.ALIVE);
      assertThat(first.stopped()).isFalse();
      assertThat(first.startTime()).isEqualTo(ProcFs.startTime(p.pid()).orElseThrow());

      signal("STOP", p.pid());
      assertThat(awaitStopped(watch, true)).isTrue();
      signal("CONT", p.pid());
      assertThat(awaitStopped(watch, false)).isTrue();

      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      Evidence gone = watch.probe();
      assertThat(gone.liveness()).as(gone.detail()).isEqualTo(Liveness.DEAD);
      assertThat(gone.detail()).contains("No such process");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aWatchOpenedWithAnotherStartTimeSaysDead() throws Exception {
    Process p = new ProcessBuilder("sleep", "60").start();
    try (ProcWatch watch = ProcWatch.open(p.pid(), ProcFs.startTime(p.pid()).orElseThrow() + 1)) {
      assertThat(watch.probe().liveness()).isEqualTo(Liveness.DEAD);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void noProcessIsDeadByPathAndUnknownNever() {
    long pid = Long.MAX_VALUE / 2;
    assertThat(ProcFs.evidence(pid, 0).liveness()).isEqualTo(Liveness.DEAD);
  }

  @Test
  void aZombieIsDeadThoughItsProcEntryStays() throws Exception {
    // sleep 60 never reaps the 'sleep 0' it inherits from the shell: a zombie whose /proc entry stays
    Process p = new ProcessBuilder("sh", "-c", "sleep 0 & echo $!; exec sleep 60").start();
    try {
      long zombie = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))
          .readLine().trim());
      Evidence e = ProcFs.evidence(zombie, 0);
      for (int i = 0; i < 1000 && e.liveness() == Liveness.ALIVE; i++) {
        Thread.sleep(5); // until 'sleep 0' has exited
        e = ProcFs.evidence(zombie, 0);
      }
      assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("/proc", Long.toString(zombie)))).isTrue();
      assertThat(e.liveness()).as(e.detail()).isEqualTo(Liveness.DEAD);
      assertThat(e.detail()).contains("state Z");
    } finally {
      p.destroyForcibly();
    }
  }

  private static void signal(String sig, long pid) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor()).isZero();
  }

  /** The kernel applies a signal asynchronously: poll the watch (bounded) until it shows the state. */
  private static boolean awaitStopped(ProcWatch watch, boolean stopped) throws InterruptedException {
    for (int i = 0; i < 1000; i++) {
      if (watch.probe().stopped() == stopped) {
        return true;
      }
      Thread.sleep(5);
    }
    return false;
  }
}
