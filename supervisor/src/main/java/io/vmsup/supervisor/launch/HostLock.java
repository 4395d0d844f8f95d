package io.vmsup.supervisor.launch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The host-wide file locks of the daemons on a host (the uid claims, the ACL edits), taken one at a time per JVM.
 * POSIX locks belong to the process, not the thread: while one thread of a daemon held one lock and another thread
 * waited for a second, held by another daemon waiting for the first, the kernel saw a cycle and failed a lock with
 * EDEADLK ("Resource deadlock avoided": a start failed so, thousands of VMs starting beside another daemon). Under
 * one monitor a daemon never waits for a lock while it holds one, so no cycle can pass through it. Blocking.
 */
final class HostLock {

  /** A step run while the lock is held. */
  @FunctionalInterface
  interface Locked<T> {
    T run() throws IOException;
  }

  private static final Object ONE_AT_A_TIME = new Object();

  private HostLock() {
  }

  /** Runs {@code action} holding the exclusive lock of {@code file} (created, with its directory, if need be). */
  static <T> T holding(Path file, Locked<T> action) throws IOException {
    synchronized (ONE_AT_A_TIME) {
      Files.createDirectories(file.getParent());
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        return action.run();
      }
    }
  }
}
