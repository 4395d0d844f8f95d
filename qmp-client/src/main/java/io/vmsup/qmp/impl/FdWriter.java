package io.vmsup.qmp.impl;

import io.netty.channel.unix.FileDescriptor;
import io.vertx.core.Future;
import io.vertx.core.net.NetSocket;
import io.vertx.core.internal.net.NetSocketInternal;

/**
 * The one place that uses Vert.x internals for SCM_RIGHTS: Netty's epoll domain-socket channel sends a
 * {@link FileDescriptor} message with {@code sendmsg}, together with one carrier byte (QEMU's lexer answers that
 * byte with an error without id). NIO cannot send descriptors.
 */
final class FdWriter {

  private FdWriter() {
  }

  /** {@code "epoll"} when the socket runs on Netty's epoll transport, else {@code "nio"}. */
  static String transportOf(NetSocket socket) {
    if (socket instanceof NetSocketInternal internal) {
      String channel = internal.channelHandlerContext().channel().getClass().getSimpleName();
      return channel.startsWith("Epoll") ? "epoll" : "nio";
    }
    return "nio";
  }

  /** Writes {@code fd} as ancillary data; the caller keeps ownership of its descriptor. */
  static Future<Void> writeFd(NetSocket socket, int fd) {
    // Netty does not close a FileDescriptor message after sending it, so wrapping the caller's fd is safe.
    return ((NetSocketInternal) socket).writeMessage(new FileDescriptor(fd));
  }
}
