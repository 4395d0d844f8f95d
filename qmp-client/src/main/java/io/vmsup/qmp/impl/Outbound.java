package io.vmsup.qmp.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vmsup.qmp.QmpBacklogException;
import io.vmsup.qmp.QmpCommand;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The write side of one connection. On the channel's event loop, commands are encoded into one reused direct buffer
 * (no buffer, pipeline pass or outbound-queue entry per command) and sent once per event-loop task, or at the end of
 * the read whose reply callbacks wrote them: pipelined commands share one system call, and a command sent from a reply
 * callback leaves before the loop waits again, without a task of its own. The batch goes straight to the socket when
 * Netty holds nothing unwritten (epoll); what the kernel does not take, and every batch while Netty holds something
 * (an fd message, an earlier remainder), goes through the Netty channel behind it. Writes from another thread (a
 * worker context) go through the channel and are flushed at once. Every byte and descriptor is written in call order.
 */
final class Outbound {

  /**
   * Bytes that may wait to be written (beyond what the kernel's socket buffer took) before further commands are
   * refused (a command is written whatever its own size while fewer wait): far more than a reading QEMU leaves
   * behind (the daemon's request bodies are 1 MiB by default), so only a QEMU that stopped reading meets it; without it
   * every command to such a QEMU stays queued here, timed out or not, until the connection ends.
   */
  static final long MAX_WAITING_BYTES = 16L << 20;
  // the batch is kept between tasks at this size at most (a burst of large commands grows it for one task)
  private static final int BATCH_KEPT = 64 << 10;

  private final ChannelHandlerContext chctx;
  // write errors close the channel (Netty's auto-close), which the connection sees: nothing to report per write
  private final ChannelPromise quiet;
  private final Runnable flushTask = this::flushNow;
  private final Socket direct;
  private final Consumer<IOException> writeFailed;
  private final Envelope envelope = new Envelope();
  private ByteBuf batch;
  private boolean flushScheduled;
  private boolean reading;
  private boolean released;
  private boolean backlogged;

  Outbound(NetSocket socket, Consumer<IOException> writeFailed) {
    this.chctx = ((NetSocketInternal) socket).channelHandlerContext();
    this.quiet = new VoidChannelPromise(chctx.channel(), false);
    Channel ch = chctx.channel();
    this.direct = ch instanceof UnixChannel u && u.fd() instanceof Socket s ? s : null;
    this.writeFailed = writeFailed;
  }

  /** Writes {@code command} with {@code id} (the wire envelope: {@link Envelope}). */
  void writeCommand(QmpCommand<?> command, long id) {
    if (!chctx.executor().inEventLoop()) {
      chctx.writeAndFlush(Envelope.encode(chctx.alloc(), command, id), quiet);
      return;
    }
    if (released) {
      return;
    }
    envelope.encode(command, id); // a command that cannot be encoded throws before anything of it is queued
    envelope.writeTo(batch());
    scheduleFlush();
  }

  /** Queues {@code bytes} (released here or by Netty once written), after everything written before. */
  void write(ByteBuf bytes) {
    if (!chctx.executor().inEventLoop()) {
      chctx.writeAndFlush(bytes, quiet);
      return;
    }
    try {
      if (!released) {
        batch().writeBytes(bytes);
      }
    } finally {
      bytes.release();
    }
    scheduleFlush();
  }

  /** Writes {@code fd} as SCM_RIGHTS ancillary data, after everything written before it, and flushes. */
  ChannelFuture writeFd(int fd) {
    flushNow();
    // Netty does not close a FileDescriptor message after sending it, so wrapping the caller's fd is safe
    return chctx.writeAndFlush(new FileDescriptor(fd));
  }

  /** The channel's allocator. */
  ByteBufAllocator alloc() {
    return chctx.alloc();
  }

  /**
   * The refusal of a command named {@code name} while QEMU leaves too much unread, or null. Once the cap was passed,
   * commands are refused until QEMU has read half of what waits: the kernel taking a socket buffer's worth at the next
   * flush does not make room for another command of any size behind a QEMU that stopped reading.
   */
  QmpBacklogException backlog(String name) {
    long waiting = waitingBytes();
    backlogged = waiting > (backlogged ? MAX_WAITING_BYTES / 2 : MAX_WAITING_BYTES);
    return backlogged ? new QmpBacklogException(name, waiting, MAX_WAITING_BYTES) : null;
  }

  /** Bytes written and not yet taken by the kernel (0 once the channel closed). On the connection's context. */
  long waitingBytes() {
    ChannelOutboundBuffer out = chctx.channel().unsafe().outboundBuffer();
    long inNetty = out == null ? 0 : out.totalPendingWriteBytes();
    return batch == null || !chctx.executor().inEventLoop() ? inNetty : inNetty + batch.readableBytes();
  }

  /** A read begins: what its reply callbacks write is sent when it ends ({@link #endRead}). */
  void beginRead() {
    reading = true;
  }

  /** The read ended: sends what it wrote. */
  void endRead() {
    reading = false;
    if (batch != null && batch.isReadable()) {
      flushNow();
    }
  }

  /** Sends what is queued now (before a close, so a command written just before it still leaves). */
  void flushNow() {
    if (!chctx.executor().inEventLoop()) {
      chctx.executor().execute(flushTask);
      return;
    }
    flushScheduled = false;
    if (batch != null && batch.isReadable()) {
      sendBatch();
    }
  }

  /** The connection closed: the batch goes back to the allocator; later writes are dropped. */
  void release() {
    released = true;
    if (batch != null) {
      batch.release();
      batch = null;
    }
  }

  private ByteBuf batch() {
    if (batch == null) {
      batch = chctx.alloc().directBuffer(512);
    }
    return batch;
  }

  private void scheduleFlush() {
    if (!flushScheduled && !reading) {
      flushScheduled = true;
      chctx.executor().execute(flushTask);
    }
  }

  private void sendBatch() {
    ByteBuf b = batch;
    ChannelOutboundBuffer queued = chctx.channel().unsafe().outboundBuffer();
    if (direct != null && queued != null && queued.isEmpty() && b.hasMemoryAddress()) {
      try {
        int sent = direct.sendAddress(b.memoryAddress(), b.readerIndex(), b.writerIndex());
        b.skipBytes(sent);
      } catch (IOException e) {
        b.clear();
        writeFailed.accept(e);
        return;
      }
    }
    if (b.isReadable()) {
      // the kernel took only part (QEMU is behind), or Netty holds earlier writes: the rest queues behind them
      chctx.writeAndFlush(chctx.alloc().directBuffer(b.readableBytes()).writeBytes(b), quiet);
    }
    if (b.capacity() > BATCH_KEPT) {
      b.release();
      batch = null;
    } else {
      b.clear();
    }
  }
}
