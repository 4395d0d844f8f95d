package io.vmsup.supervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two threads of one daemon and another process, each wanting the other's lock: POSIX locks belong to the process,
 * so the kernel used to see a cycle and fail the daemon's second lock with EDEADLK. Taken one at a time per JVM, the
 * second lock waits instead, and every party gets its lock in turn.
 */
class HostLockTest {

  @TempDir
  Path dir;

  @Test
  void aSecondLockWaitsInsteadOfFailingWithDeadlockWhenAnotherProcessHoldsItAndWaitsForTheFirst() throws Exception {
    Path x = dir.resolve("x.lock");
    Path y = dir.resolve("y.lock");
    Files.createFile(x);
    CountDownLatch holdingX = new CountDownLatch(1);
    CountDownLatch releaseX = new CountDownLatch(1);
    CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
      try {
        HostLock.holding(x, () -> {
          holdingX.countDown();
          try {
            releaseX.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        });
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(holdingX.await(60, TimeUnit.SECONDS)).isTrue();
    // the other process: holds y, then waits for x (which this JVM holds)
    Process other = new ProcessBuilder("python3", "-c", "import fcntl,sys\n"
        + "y=open(sys.argv[2],'w'); fcntl.lockf(y, fcntl.LOCK_EX); print('y', flush=True)\n"
        + "x=open(sys.argv[1],'w'); fcntl.lockf(x, fcntl.LOCK_EX); print('x', flush=True)\n",
        x.toString(), y.toString()).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("y");
      waitUntilBlockedOnALock(other.pid());
      // a second thread of this JVM now wants y: without one-at-a-time the kernel answered EDEADLK
      CompletableFuture<String> second = new CompletableFuture<>();
      Thread wanting = new Thread(() -> {
        try {
          second.complete(HostLock.holding(y, () -> "got y"));
        } catch (Exception e) {
          second.complete("failed: " + e.getMessage());
        }
      });
      wanting.start();
      while (wanting.getState() != Thread.State.BLOCKED && wanting.getState() != Thread.State.TERMINATED) {
        Thread.onSpinWait();
      }
      assertThat(second).as("waits for the first lock's release in this JVM, not in the kernel").isNotDone();
      releaseX.countDown();
      first.get(60, TimeUnit.SECONDS);
      assertThat(out.readLine()).isEqualTo("x");
      assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(second.get(60, TimeUnit.SECONDS)).isEqualTo("got y");
    } finally {
      other.destroyForcibly();
    }
  }

  // /proc/locks lists a waiter as "N: -> POSIX ADVISORY WRITE PID ..."
  private static void waitUntilBlockedOnALock(long pid) throws Exception {
    for (int i = 0; i < 6000; i++) {
      for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 5 && f[1].equals("->") && f[5].equals(Long.toString(pid))) {
          return;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("process " + pid + " never waited for its lock");
  }
}
