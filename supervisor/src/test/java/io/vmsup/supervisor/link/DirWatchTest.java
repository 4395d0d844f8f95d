package io.vmsup.supervisor.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's one VM directory watch over real inotify, checked against the kernel's own list of watches
 * ({@code /proc/self/fdinfo}): the console's hold and a start's hold of one directory are one kernel watch, a release
 * never removes it under another holder, the last release lets it go within two sweeps, and a directory deleted and
 * made again under the same path is watched anew.
 */
class DirWatchTest {

  private static final long GUARD_NANOS = 30_000_000_000L;

  @TempDir
  Path dir;

  /** What one holder heard. */
  private static final class Heard implements DirWatch.Listener {
    final List<Path> names = new CopyOnWriteArrayList<>();

    @Override
    public void changed(Path name) {
      names.add(name);
    }

    @Override
    public void lost(boolean stopped) {
      names.add(Path.of("(lost)"));
    }

    void await(String name) throws InterruptedException {
      long end = System.nanoTime() + GUARD_NANOS;
      while (!names.contains(Path.of(name)) && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      assertThat(names).contains(Path.of(name));
    }
  }

  /** Waits (a hang guard only) until the kernel holds no watch on {@code dir}. */
  static void awaitNoKernelWatch(Path dir) throws Exception {
    long end = System.nanoTime() + GUARD_NANOS;
    while (InotifyWatches.on(dir) > 0 && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    assertThat(InotifyWatches.on(dir)).as("kernel watches on " + dir).isZero();
  }

  @Test
  void theConsoleAndAStartHoldingOneDirectoryAreOneKernelWatchAndBothHearIt() throws Exception {
    Heard console = new Heard();
    Heard start = new Heard();
    DirWatch.Hold c = DirWatch.shared().hold(dir, console);
    DirWatch.Hold s = DirWatch.shared().hold(dir, start);
    assertThat(InotifyWatches.on(dir)).as("one kernel watch for both holders").isEqualTo(1);
    assertThat(DirWatch.shared().holders(dir)).isEqualTo(2);
    Files.writeString(dir.resolve("qmp.sock"), "x");
    start.await("qmp.sock");
    console.await("qmp.sock");
    s.release();
    s.release(); // twice: counted once
    assertThat(DirWatch.shared().holders(dir)).isEqualTo(1);
    assertThat(InotifyWatches.on(dir)).as("the console still holds it").isEqualTo(1);
    Files.writeString(dir.resolve("serial.log"), "line\n");
    console.await("serial.log");
    assertThat(start.names).as("a released holder hears nothing more").doesNotContain(Path.of("serial.log"));
    c.release();
    awaitNoKernelWatch(dir);
  }

  @Test
  void aHoldRightAfterTheLastReleaseReusesTheKernelWatch() throws Exception {
    DirWatch.shared().hold(dir, new Heard()).release();
    Heard next = new Heard();
    DirWatch.Hold h = DirWatch.shared().hold(dir, next);
    assertThat(InotifyWatches.on(dir)).isEqualTo(1);
    // held again: the sweeps keep it however long this hold lasts
    Thread.sleep(3 * DirWatch.SWEEP_MS);
    assertThat(InotifyWatches.on(dir)).as("a held directory stays watched across sweeps").isEqualTo(1);
    Files.writeString(dir.resolve("qmp.sock"), "x");
    next.await("qmp.sock");
    h.release();
    awaitNoKernelWatch(dir);
  }

  @Test
  void aDirectoryDeletedAndMadeAgainIsWatchedAnew() throws Exception {
    Path vm = Files.createDirectory(dir.resolve("vm"));
    Heard old = new Heard();
    DirWatch.Hold first = DirWatch.shared().hold(vm, old);
    // as the daemon deletes a VM (its directory renamed away, removed later), then a VM of that name created again
    Path retired = Files.move(vm, dir.resolve(".deleted.vm"));
    Files.createDirectory(vm);
    Heard fresh = new Heard();
    DirWatch.Hold second = DirWatch.shared().hold(vm, fresh);
    assertThat(InotifyWatches.on(vm)).as("the new directory has its own kernel watch").isEqualTo(1);
    Files.writeString(vm.resolve("qmp.sock"), "x");
    fresh.await("qmp.sock");
    assertThat(old.names).as("the old directory's holder hears nothing of the new one").isEmpty();
    first.release();
    second.release();
    awaitNoKernelWatch(vm);
    awaitNoKernelWatch(retired);
  }

  @Test
  void aDirectoryThatCannotBeWatchedHoldsNothing() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DirWatch.shared().hold(dir.resolve("gone"), new Heard()))
        .isInstanceOf(java.io.IOException.class);
    assertThat(DirWatch.shared().holders(dir.resolve("gone"))).isZero();
  }
}
