package io.vmsup.qmp.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.netty.channel.unix.FileDescriptor;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * The write side of one connection, straight onto the Netty channel: commands are encoded into direct buffers from the
 * channel's allocator (the epoll transport copies heap buffers), and writes made on the channel's event loop are
 * flushed once per event-loop task instead of once each, so commands written together (pipelined, or sent from a
 * reply callback) go out in one {@code writev}. Writes from another thread (a worker context) are flushed at once.
 * Every byte and descriptor takes this one path, so their order on the wire is the order of the calls.
 */
final class Outbound {

  /**
   * Bytes that may wait to be written (beyond what the kernel's socket buffer took) before further commands are
   * refused (a command is written whatever its own size while fewer wait): far more than a reading QEMU leaves
   * behind (the daemon's request bodies are 1 MiB by default), so only a QEMU that stopped reading meets it; without it
   * every command to such a QEMU stays queued here, timed out or not, until the connection ends.
   */
  static final long MAX_WAITING_BYTES = 16L << 20;

  private final ChannelHandlerContext chctx;
  // write errors close the channel (Netty's auto-close), which the connection sees: nothing to report per write
  private final ChannelPromise quiet;
  private final Runnable flushTask = this::flushNow;
  private boolean flushScheduled;

  Outbound(NetSocket socket) {
    this.chctx = ((NetSocketInternal) socket).channelHandlerContext();
    this.quiet = new VoidChannelPromise(chctx.channel(), false);
  }

  ByteBufAllocator alloc() {
    return chctx.alloc();
  }

  /** Queues {@code bytes} (released by Netty once written); flushed at the end of the current event-loop task. */
  void write(ByteBuf bytes) {
    if (chctx.executor().inEventLoop()) {
      chctx.write(bytes, quiet);
      if (!flushScheduled) {
        flushScheduled = true;
        chctx.executor().execute(flushTask);
      }
    } else {
      chctx.writeAndFlush(bytes, quiet);
    }
  }

  /** Writes {@code fd} as SCM_RIGHTS ancillary data, after everything written before it, and flushes. */
  ChannelFuture writeFd(int fd) {
    // Netty does not close a FileDescriptor message after sending it, so wrapping the caller's fd is safe
    return chctx.writeAndFlush(new FileDescriptor(fd));
  }

  /** Bytes written to the channel and not yet taken by the kernel (0 once the channel closed). Any thread. */
  long waitingBytes() {
    io.netty.channel.ChannelOutboundBuffer out = chctx.channel().unsafe().outboundBuffer();
    return out == null ? 0 : out.totalPendingWriteBytes();
  }

  /** Sends what is queued now (before a close, so a command written just before it still leaves). */
  void flushNow() {
    if (chctx.executor().inEventLoop()) {
      flushScheduled = false;
      chctx.flush();
    } else {
      chctx.executor().execute(flushTask);
    }
  }
}
