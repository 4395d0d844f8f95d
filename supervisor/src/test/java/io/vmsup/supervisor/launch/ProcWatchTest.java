package io.vmsup.supervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch on real processes that holds no descriptor: alive, stopped by SIGSTOP and dead once gone; a pid whose
 * process has another start time than the recorded one (a reused pid) is DEAD of the old process, never ALIVE; at
 * the descriptor limit the daemon's one reserve descriptor still tells alive from dead; an entry that cannot be read
 * is UNKNOWN, never DEAD.
 */
class ProcWatchTest {

  @Test
  void aWatchByPathFollowsItsProcessThroughStopAndDeathHoldingNoDescriptor() throws Exception {
    Process p = new ProcessBuilder("sleep", "60").start();
    try {
      ProcWatch watch = ProcWatch.of(p.pid(), 0);
      int before = openDescriptors();
      Evidence first = watch.probe();
      assertThat(first.liveness()).isEqualTo(Liveness.ALIVE);
      assertThat(first.stopped()).isFalse();
      assertThat(first.startTime()).isEqualTo(ProcFs.startTime(p.pid()).orElseThrow());
      assertThat(watch.expectedStart()).as("the first live read pins the start time").isEqualTo(first.startTime());
      assertThat(openDescriptors()).as("no descriptor kept").isLessThanOrEqualTo(before);

      signal("STOP", p.pid());
      assertThat(awaitStopped(watch, true)).isTrue();
      signal("CONT", p.pid());
      assertThat(awaitStopped(watch, false)).isTrue();

      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      Evidence gone = watch.probe();
      assertThat(gone.liveness()).as(gone.detail()).isEqualTo(Liveness.DEAD);
      assertThat(gone.detail()).contains("gone");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aLiveProcessWithAnotherStartTimeThanTheRecordedOneIsTheOldOneDead() throws Exception {
    // a reused pid, without cycling through pid_max: the recorded identity is another start time, the process at
    // the pid is real and live
    Process p = new ProcessBuilder("sleep", "60").start();
    try {
      long real = ProcFs.startTime(p.pid()).orElseThrow();
      ProcWatch watch = ProcWatch.of(p.pid(), real - 1);
      for (int i = 0; i < 3; i++) {
        Evidence e = watch.probe();
        assertThat(e.liveness()).as("probe " + i).isEqualTo(Liveness.DEAD);
        assertThat(e.detail()).contains("pid reused");
      }
      assertThat(watch.expectedStart()).as("the recorded identity is never replaced").isEqualTo(real - 1);
      assertThat(p.isAlive()).isTrue();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void atTheDescriptorLimitTheReserveStillTellsAliveFromDead() throws Exception {
    // in a JVM of its own: in this fork other test classes' threads may take the descriptor the reserve gives up
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ProcWatchAtLimit.class.getName()).redirectErrorStream(true)
        .start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor()).as(out).isZero();
    assertThat(out.lines().map(l -> l.split(" ", 3)).filter(w -> w.length >= 2).map(w -> w[0] + " " + w[1]))
        .as(out).containsExactly("before ALIVE", "alive ALIVE", "gone DEAD", "again ALIVE");
  }

  @Test
  void anEntryThatCannotBeReadIsUnknownNeverDead(@TempDir Path root) throws Exception {
    // a stat "file" the kernel refuses to read (EISDIR): a real I/O error, not a verdict on the process
    Files.createDirectories(root.resolve("4242").resolve("stat"));
    Evidence e = ProcWatch.under(root, 4242, 0).probe();
    assertThat(e.liveness()).as(e.detail()).isEqualTo(Liveness.UNKNOWN);
    assertThat(e.detail()).contains("Is a directory");
    Files.delete(root.resolve("4242").resolve("stat"));
    Files.writeString(root.resolve("4242").resolve("stat"), "4242 (x");
    Evidence garbled = ProcWatch.under(root, 4242, 0).probe();
    assertThat(garbled.liveness()).as("a garbled line").isEqualTo(Liveness.UNKNOWN);
  }

  @Test
  void noProcessIsDeadByPathAndUnknownNever() {
    long pid = Long.MAX_VALUE / 2;
    assertThat(ProcFs.evidence(pid, 0).liveness()).isEqualTo(Liveness.DEAD);
    assertThat(ProcWatch.of(pid, 0).probe().liveness()).isEqualTo(Liveness.DEAD);
  }

  @Test
  void aZombieIsDeadThoughItsProcEntryStays() throws Exception {
    // perl never reaps the child it forked (it waits for no child and leaves SIGCHLD at its default): a zombie whose
    // /proc entry stays. (A shell's 'sleep 0 & exec sleep 60' could reap its child itself before the exec when the
    // child ended first: CI run 4 of session 7 found no /proc entry.)
    Process p = new ProcessBuilder("perl", "-e", "$| = 1; my $c = fork(); exit 0 if $c == 0; print \"$c\\n\"; sleep 60")
        .start();
    try {
      long zombie = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))
          .readLine().trim());
      Evidence e = ProcFs.evidence(zombie, 0);
      for (int i = 0; i < 1000 && e.liveness() == Liveness.ALIVE; i++) {
        Thread.sleep(5); // until 'sleep 0' has exited
        e = ProcFs.evidence(zombie, 0);
      }
      assertThat(Files.exists(Path.of("/proc", Long.toString(zombie)))).isTrue();
      assertThat(e.liveness()).as(e.detail()).isEqualTo(Liveness.DEAD);
      assertThat(e.detail()).contains("state Z");
      assertThat(ProcWatch.of(zombie, 0).probe().liveness()).isEqualTo(Liveness.DEAD);
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

  private static int openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return (int) fds.count();
    }
  }
}
