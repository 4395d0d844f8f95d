package io.vmsup.qmp.impl;

import io.vertx.core.net.NetSocket;
import io.vertx.core.internal.net.NetSocketInternal;

/**
 * Which transport a socket runs on: only Netty's epoll domain-socket channel sends a descriptor (a
 * {@code FileDescriptor} message, with {@code sendmsg} and one carrier byte that QEMU's lexer answers with an error
 * without id; written by {@link Outbound#writeFd}). NIO cannot send descriptors.
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
}
