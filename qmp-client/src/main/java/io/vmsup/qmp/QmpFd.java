package io.vmsup.qmp;

import io.vmsup.qmp.impl.FdAccess;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.Channel;

/**
 * An open file descriptor of this process, to be passed to QEMU with SCM_RIGHTS ({@link QmpClient#getfd},
 * {@link QmpClient#addFd}). QEMU receives its own duplicate: the caller keeps ownership and may close its copy
 * once the command's future completes. Open files with the JDK, in the access mode QEMU needs (read-write for a
 * disk behind {@code /dev/fdset/N}); Netty's {@code FileDescriptor.from(path)} would truncate them.
 *
 * <p>Reading the descriptor number needs {@code --add-opens java.base/java.io=ALL-UNNAMED} (files) or
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (NIO channels); without it the factories throw
 * {@link IllegalArgumentException} saying so.
 */
public final class QmpFd {

  private final int fd;
  private final String description;

  private QmpFd(int fd, String description) {
    if (fd < 0) {
      throw new IllegalArgumentException("not an open descriptor: " + description);
    }
    this.fd = fd;
    this.description = description;
  }

  /** A descriptor from {@link java.io.FileInputStream#getFD()} and friends. */
  public static QmpFd of(FileDescriptor descriptor) {
    return new QmpFd(FdAccess.fdOf(descriptor), "FileDescriptor");
  }

  /** The descriptor of an open {@link RandomAccessFile} (mode {@code "rw"} for a disk). */
  public static QmpFd of(RandomAccessFile file) throws IOException {
    return new QmpFd(FdAccess.fdOf(file.getFD()), "RandomAccessFile");
  }

  /** The descriptor of an NIO channel: a {@code FileChannel}, {@code SocketChannel} or similar. */
  public static QmpFd of(Channel channel) {
    return new QmpFd(FdAccess.fdOf(channel), channel.getClass().getSimpleName());
  }

  /** A raw descriptor number this process owns (for example one created through Netty). */
  public static QmpFd ofRaw(int fd) {
    return new QmpFd(fd, "raw");
  }

  /** The descriptor number in this process. */
  public int intValue() {
    return fd;
  }

  @Override
  public String toString() {
    return "QmpFd[" + fd + ", " + description + "]";
  }
}
