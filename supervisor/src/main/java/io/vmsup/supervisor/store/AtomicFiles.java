package io.vmsup.supervisor.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Blocking file helpers: call them on a worker only. Files are 0600, directories 0700. */
public final class AtomicFiles {

  private AtomicFiles() {
  }

  /**
   * Creates {@code dir} (and parents) with mode 0700 when missing, and takes what the group and others may do away
   * from an existing one, changing nothing when nothing must be. On a directory with an ACL the group bits are its
   * mask, which the VMs' traversal group and each VM uid's entry on its own directory need: there only others lose
   * their rights (a chmod to 0700 would silence the entries, and clear the sticky bit, under running QEMUs' feet).
   */
  public static void ensureDir(Path dir) throws IOException {
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
    boolean changed = mode.removeAll(OTHERS);
    if (mode.stream().anyMatch(GROUP::contains) && !AccessAcl.present(dir)) {
      changed |= mode.removeAll(GROUP);
    }
    if (changed) {
      Files.setPosixFilePermissions(dir, mode);
    }
  }

  private static final Set<PosixFilePermission> GROUP = EnumSet.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE);
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  /**
   * Replaces {@code file} with {@code content} so that a crash leaves either the old or the new file: write a temp
   * file in the same directory, fsync it, rename over the target, fsync the directory.
   */
  public static void write(Path file, byte[] content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    writeNoDirSync(file, content);
    fsyncDir(dir);
  }

  /**
   * Replaces several files of one directory, each atomically: every temp file is written, then all are fsync'd at
   * once ({@link Flushes}), renamed, and the directory fsync'd together with {@code alsoSync} (say its parent, when
   * the directory is new). A crash leaves each file old or new; the call returns once all are durable.
   */
  public static void writeAll(Path dir, java.util.Map<String, byte[]> files, Path... alsoSync) throws IOException {
    java.util.List<Path> temps = new java.util.ArrayList<>();
    java.util.List<FileChannel> open = new java.util.ArrayList<>();
    try {
      for (var e : files.entrySet()) {
        Path tmp = dir.resolve("." + e.getKey() + ".tmp");
        temps.add(tmp);
        uninterruptibly(() -> Files.deleteIfExists(tmp));
        FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        open.add(ch);
        ByteBuffer buf = ByteBuffer.wrap(e.getValue());
        uninterruptibly(() -> {
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
        });
      }
      Flushes.forceAll(open);
      closeAll(open);
      int i = 0;
      for (String name : files.keySet()) {
        Files.move(temps.get(i++), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      // a full disk fails a write or an fsync: never leave a half-written temp file behind
      closeAll(open);
      for (Path tmp : temps) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException cleanup) {
          e.addSuppressed(cleanup);
        }
      }
      throw e;
    }
    java.util.List<Path> dirs = new java.util.ArrayList<>(java.util.List.of(dir));
    dirs.addAll(java.util.List.of(alsoSync));
    Flushes.dirs(dirs);
  }

  private static void closeAll(java.util.List<FileChannel> open) {
    for (FileChannel ch : open) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing a channel whose data is durable (or abandoned) already
      }
    }
  }

  private static void writeNoDirSync(Path file, byte[] content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
    try {
      uninterruptibly(() -> {
        Files.deleteIfExists(tmp);
        try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
          ByteBuffer buf = ByteBuffer.wrap(content);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
          ch.force(true);
        }
      });
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      // a full disk fails the write or the fsync: never leave the half-written temp file behind
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** Channel I/O of the store, which a thread's interrupt must not abort. */
  @FunctionalInterface
  interface ChannelIo {
    void run() throws IOException;
  }

  /**
   * Runs {@code io} to its end whatever the thread's interrupt status. Vert.x 5 interrupts the worker thread of a
   * context it closes (an actor's undeploy), and the interrupt may land on a pooled worker that meanwhile runs
   * another VM's write: a FileChannel then closes itself (ClosedByInterruptException, without a message) and a
   * write or delete that did happen would be reported as not persisted. The interrupt is cleared for the I/O, the
   * I/O is redone when an interrupt closed the channel (at most 3 tries), and the status is set again afterwards.
   */
  static void uninterruptibly(ChannelIo io) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      for (int tries = 1; ; tries++) {
        try {
          io.run();
          return;
        } catch (ClosedByInterruptException e) {
          interrupted |= Thread.interrupted();
          if (tries == 3) {
            throw e;
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Deletes {@code dir} and everything below it (no symlinks followed); no-op when missing. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The operating system's reason for an I/O failure ("No space left on device"), else its message. */
  public static String reason(Throwable t) {
    if (t instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    if (t instanceof java.nio.file.NoSuchFileException) {
      return "No such file or directory";
    }
    if (t.getMessage() != null) {
      return t.getMessage();
    }
    // never "null": an exception without a message is named by its class
    String name = t.getClass().getSimpleName();
    return t instanceof ClosedByInterruptException ? name + " (the worker thread was interrupted)" : name;
  }

  /** Deletes {@code file} if present and syncs its directory. */
  public static void delete(Path file) throws IOException {
    if (Files.deleteIfExists(file)) {
      fsyncDir(file.toAbsolutePath().getParent());
    }
  }

  public static void fsyncDir(Path dir) throws IOException {
    uninterruptibly(() -> {
      try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
        ch.force(true);
      }
    });
  }
}
