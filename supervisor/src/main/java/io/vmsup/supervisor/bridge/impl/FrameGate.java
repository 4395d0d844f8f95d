package io.vmsup.supervisor.bridge.impl;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Splits a TCP bridge client's bytes into frames (a 4-byte big-endian length, then that many bytes), holding at most
 * one frame of {@code maxFrameBytes} plus one read: a length outside 2..maxFrameBytes kills the gate (the stream
 * cannot be trusted after it, as Netty's decoders go dead after corruption), and every later byte is ignored.
 */
final class FrameGate {

  private final int maxFrameBytes;
  private final Consumer<Buffer> frames;
  private Buffer pending = Buffer.buffer();
  private int expected = -1;
  private String dead;

  /** @param frames receives each whole frame, length prefix included, ready to pass on */
  FrameGate(int maxFrameBytes, Consumer<Buffer> frames) {
    this.maxFrameBytes = maxFrameBytes;
    this.frames = frames;
  }

  /** Takes the next bytes; returns null, or why the stream is dead (also for every call after). */
  String feed(Buffer chunk) {
    if (dead != null) {
      return dead;
    }
    pending.appendBuffer(chunk);
    while (true) {
      if (expected < 0) {
        if (pending.length() < 4) {
          return null;
        }
        int length = pending.getInt(0);
        // the smallest JSON object is {} (2 bytes)
        if (length < 2 || length > maxFrameBytes) {
          dead = "frame of " + Integer.toUnsignedString(length) + " bytes: allowed 2.." + maxFrameBytes;
          pending = Buffer.buffer();
          return dead;
        }
        expected = length;
      }
      if (pending.length() < 4 + expected) {
        return null;
      }
      Buffer frame = pending.getBuffer(0, 4 + expected);
      pending = pending.getBuffer(4 + expected, pending.length());
      expected = -1;
      frames.accept(frame);
    }
  }

  /** Bytes held for a frame not complete yet. */
  int buffered() {
    return pending.length();
  }
}
