package io.vmsup.qmp.impl;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vmsup.qmp.QmpPeer;
import java.io.IOException;

/** Reads {@code SO_PEERCRED} of a connected unix socket through Netty's epoll channel (one getsockopt, no I/O). */
final class PeerCredentials {

  private PeerCredentials() {
  }

  /** The peer's credentials, or null when the transport cannot read them (NIO) or the call failed. */
  static QmpPeer of(NetSocket socket) {
    if (!(socket instanceof NetSocketInternal internal)) {
      return null;
    }
    Channel channel = internal.channelHandlerContext().channel();
    if (!(channel instanceof EpollDomainSocketChannel epoll)) {
      return null;
    }
    try {
      io.netty.channel.unix.PeerCredentials c = epoll.peerCredentials();
      int[] gids = c.gids();
      return new QmpPeer(c.pid(), c.uid(), gids.length > 0 ? gids[0] : -1);
    } catch (IOException e) {
      return null;
    }
  }
}
