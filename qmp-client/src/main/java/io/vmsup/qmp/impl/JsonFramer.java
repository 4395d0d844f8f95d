package io.vmsup.qmp.impl;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vmsup.qmp.QmpProtocolException;
import java.util.Arrays;

/**
 * Splits the server's byte stream into JSON texts by following the JSON structure (braces, brackets, strings
 * and escapes), so a {@code }} or a newline inside a string never ends a frame and CRLF between frames is
 * optional. Between frames only whitespace is allowed. A frame above the limit, or a byte outside an object,
 * kills the framer for good: the stream is out of sync and the connection must close.
 */
public final class JsonFramer {

  /** Receives one frame as a range of bytes that stay valid only during the call. */
  @FunctionalInterface
  public interface FrameSink {
    void frame(byte[] bytes, int from, int to);
  }

  private final int maxBytes;
  private final FrameSink frameHandler;
  private final Handler<QmpProtocolException> errorHandler;
  private byte[] partial = new byte[256];
  private int partialLength;
  private int depth;
  private boolean inString;
  private boolean escaped;
  private boolean dead;

  /** Frames handed over as buffers of their own (a copy each). */
  public JsonFramer(int maxBytes, Handler<Buffer> frameHandler, Handler<QmpProtocolException> errorHandler) {
    this(maxBytes, (FrameSink) (bytes, from, to) -> frameHandler.handle(Buffer.buffer(Arrays.copyOfRange(bytes, from,
        to))), errorHandler);
  }

  /** Frames handed over as byte ranges, without a copy when a frame lies within one chunk. */
  public JsonFramer(int maxBytes, FrameSink frameHandler, Handler<QmpProtocolException> errorHandler) {
    this.maxBytes = maxBytes;
    this.frameHandler = frameHandler;
    this.errorHandler = errorHandler;
  }

  public boolean isDead() {
    return dead;
  }

  public void handle(Buffer chunk) {
    byte[] bytes = chunk.getBytes();
    handle(bytes, 0, bytes.length);
  }

  /** Frames the bytes {@code bytes[from, to)}; they are not kept (a partial frame is copied). */
  public void handle(byte[] bytes, int from, int to) {
    int start = from;
    for (int i = from; i < to && !dead; i++) {
      byte b = bytes[i];
      if (depth == 0) {
        if (b == ' ' || b == '\r' || b == '\n' || b == '\t') {
          continue;
        }
        if (b != '{') {
          fail(String.format("unexpected byte 0x%02x between messages", b & 0xff));
          return;
        }
        start = i;
      }
      if (partialLength + (i - start) + 1 > maxBytes) {
        fail("message larger than " + maxBytes + " bytes");
        return;
      }
      if (step(b)) {
        emit(bytes, start, i + 1);
      }
    }
    if (depth > 0 && !dead) {
      append(bytes, start, to);
    }
  }

  // Returns true when b closes the top-level object.
  private boolean step(byte b) {
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (b == '\\') {
        escaped = true;
      } else if (b == '"') {
        inString = false;
      }
      return false;
    }
    switch (b) {
      case '"' -> inString = true;
      case '{', '[' -> depth++;
      case '}', ']' -> {
        depth--;
        return depth == 0;
      }
      default -> {
      }
    }
    return false;
  }

  private void emit(byte[] bytes, int from, int to) {
    if (partialLength == 0) {
      frameHandler.frame(bytes, from, to);
      return;
    }
    append(bytes, from, to);
    byte[] whole = partial;
    int length = partialLength;
    partialLength = 0;
    if (partial.length > 65536) {
      partial = new byte[256];
    }
    frameHandler.frame(whole, 0, length);
  }

  private void append(byte[] bytes, int from, int to) {
    int n = to - from;
    if (partialLength + n > partial.length) {
      partial = Arrays.copyOf(partial, Math.max(partial.length * 2, partialLength + n));
    }
    System.arraycopy(bytes, from, partial, partialLength, n);
    partialLength += n;
  }

  private void fail(String message) {
    dead = true;
    partial = new byte[0];
    partialLength = 0;
    errorHandler.handle(new QmpProtocolException(message));
  }
}
