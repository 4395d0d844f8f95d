package io.vmsup.supervisor.audit.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * The audit file, kept open for appends (one {@code write} per batch of records instead of an open, a write and a
 * close per record), with its rotation: when a batch would take it past its cap it becomes {@code .1} (older ones
 * shift, the oldest is dropped). Before each batch the path is checked to still name the open file (one
 * {@code stat}): a file deleted or moved by someone else is reopened, never written to unseen. One thread only.
 */
final class AppendFile implements AutoCloseable {

  private final Path file;
  private final long maxBytes;
  private final int keep;
  private FileChannel channel;
  private Object key;
  private long size;
  private boolean torn;
  private static final byte[] NEWLINE = {'\n'};

  AppendFile(Path file, long maxBytes, int keep) {
    this.file = file;
    this.maxBytes = maxBytes;
    this.keep = keep;
  }

  /** Appends {@code bytes[0, length)} in one write (rotating first when they would pass the cap). */
  void append(byte[] bytes, int length) throws IOException {
    // closed under us: an interrupt of this thread closes the channel (an interruptible channel)
    if (channel == null || !channel.isOpen() || !Objects.equals(key, currentKey())) {
      reopen();
    }
    if (size > 0 && size + length > maxBytes) {
      close();
      rotate();
      reopen();
    }
    if (torn) {
      // a write cut short (a full disk) left a line without its end: the next record starts on a line of its own
      write(NEWLINE, 1);
      torn = false;
    }
    write(bytes, length);
  }

  private void write(byte[] bytes, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes, 0, length);
    long before = size;
    try {
      while (buf.hasRemaining()) {
        size += channel.write(buf);
      }
    } catch (IOException e) {
      // a write cut short (a full disk): its part is taken back (a truncate needs no space), so the whole batch is
      // on the daemon's log and no line of the file is a piece of a record; if that fails too, the next record
      // starts on a line of its own
      torn |= buf.position() > 0 && !cutBack(before);
      throw e;
    }
  }

  private boolean cutBack(long to) {
    try {
      channel.truncate(to);
      size = to;
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private Object currentKey() throws IOException {
    try {
      return Files.readAttributes(file, PosixFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private void reopen() throws IOException {
    close();
    if (!Files.exists(file)) {
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another writer made it first: append to theirs
      }
    }
    channel = FileChannel.open(file, Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND));
    key = currentKey();
    size = channel.size();
  }

  private void rotate() throws IOException {
    Files.deleteIfExists(sibling(keep));
    for (int i = keep - 1; i >= 1; i--) {
      if (Files.exists(sibling(i))) {
        Files.move(sibling(i), sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(file, sibling(1), StandardCopyOption.REPLACE_EXISTING);
  }

  Path sibling(int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      FileChannel c = channel;
      channel = null;
      c.close();
    }
  }
}
