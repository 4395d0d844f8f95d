package io.vmsup.supervisor.console.impl;

import io.vmsup.supervisor.link.DirWatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells which VMs' serial logs changed, from inotify: the console verticle reads a log when it changed instead of
 * asking the file system about every log ten times a second, which at 10,000 VMs would be 200,000 file-system calls a
 * second at rest. Each VM's directory is held in the daemon's one {@link DirWatch} for as long as its log is followed
 * (a start's wait for the QMP socket holds the same directory: one kernel watch, one thread for both).
 *
 * <p>Nothing here is trusted to be complete: a lost event queue (OVERFLOW) marks every VM changed, a directory that
 * cannot be watched (the watch limit) is reported so its log is polled as before, and the caller still sweeps every
 * log now and then.
 */
final class LogWatch implements AutoCloseable {

  private final DirWatch dirs;
  private final Map<String, DirWatch.Hold> holds = new ConcurrentHashMap<>();
  private final Set<String> changed = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean overflow = new AtomicBoolean();
  private final Path file;
  private volatile boolean alive = true;

  /** Watches for changes of {@code file} (a name, such as {@code serial.log}) in each registered directory. */
  LogWatch(String file) {
    this(file, DirWatch.shared());
  }

  LogWatch(String file, DirWatch dirs) {
    this.file = Path.of(file);
    this.dirs = dirs;
  }

  /** Starts watching {@code dir} for {@code vm}. Blocking (a system call when nothing watches it yet): off the loop. */
  void watch(String vm, Path dir) throws IOException {
    if (!alive) {
      throw new IOException("the log watch has stopped");
    }
    DirWatch.Hold hold = dirs.hold(dir, new DirWatch.Listener() {
      @Override
      public void changed(Path name) {
        if (name.equals(file)) {
          LogWatch.this.changed.add(vm);
        }
      }

      @Override
      public void lost(boolean stopped) {
        if (stopped) {
          alive = false;
        }
        overflow.set(true);
      }
    });
    DirWatch.Hold old = holds.put(vm, hold);
    if (old != null) {
      old.release();
    }
  }

  /** Stops watching {@code vm}'s directory. Never blocks. */
  void unwatch(String vm) {
    DirWatch.Hold hold = holds.remove(vm);
    if (hold != null) {
      hold.release();
    }
  }

  /** False once the watch's thread stopped: no change is announced any more. */
  boolean alive() {
    return alive;
  }

  boolean watching(String vm) {
    return alive && holds.containsKey(vm);
  }

  /** The VMs whose log changed since the last call; null when events were lost (treat every VM as changed). */
  Set<String> drain() {
    if (overflow.getAndSet(false)) {
      changed.clear();
      return null;
    }
    Set<String> out = new HashSet<>();
    for (String vm : changed) {
      changed.remove(vm);
      out.add(vm);
    }
    return out;
  }

  @Override
  public void close() {
    holds.keySet().forEach(this::unwatch);
  }
}
