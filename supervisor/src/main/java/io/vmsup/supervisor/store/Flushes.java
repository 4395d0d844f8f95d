package io.vmsup.supervisor.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Several fsyncs at once instead of one after the other: the file system commits them together (ext4's journal
 * takes the concurrent fsyncs of one moment into one commit and one device flush), so a write of two files and two
 * directories waits for about one flush instead of four. The first runs on the calling thread, the others on a small
 * shared pool; every one has ended when a call returns, and a failure of any is the call's failure. Blocking.
 */
final class Flushes {

  private static final ExecutorService POOL = Executors.newFixedThreadPool(8, r -> {
    Thread t = new Thread(r, "vmsup-fsync");
    t.setDaemon(true);
    return t;
  });

  private Flushes() {
  }

  /** {@code force(true)} of every channel, at once. */
  static void forceAll(List<FileChannel> channels) throws IOException {
    List<AtomicFiles.ChannelIo> io = new ArrayList<>();
    for (FileChannel ch : channels) {
      io.add(() -> ch.force(true));
    }
    all(io);
  }

  /** An fsync of every directory, at once. */
  static void dirs(List<Path> dirs) throws IOException {
    List<AtomicFiles.ChannelIo> io = new ArrayList<>();
    for (Path dir : dirs) {
      io.add(() -> {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
          ch.force(true);
        }
      });
    }
    all(io);
  }

  private static void all(List<AtomicFiles.ChannelIo> io) throws IOException {
    List<Future<?>> others = new ArrayList<>();
    for (int i = 1; i < io.size(); i++) {
      AtomicFiles.ChannelIo one = io.get(i);
      others.add(POOL.submit(() -> {
        AtomicFiles.uninterruptibly(one);
        return null;
      }));
    }
    IOException failed = null;
    try {
      if (!io.isEmpty()) {
        AtomicFiles.uninterruptibly(io.get(0));
      }
    } catch (IOException e) {
      failed = e;
    }
    for (Future<?> f : others) {
      failed = join(f, failed);
    }
    if (failed != null) {
      throw failed;
    }
  }

  /** Waits for {@code f} whatever the interrupt status; returns the first failure seen. */
  private static IOException join(Future<?> f, IOException failed) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          f.get();
          return failed;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          IOException io = e.getCause() instanceof IOException x ? x : new IOException(e.getCause());
          if (failed == null) {
            return io;
          }
          failed.addSuppressed(io);
          return failed;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
