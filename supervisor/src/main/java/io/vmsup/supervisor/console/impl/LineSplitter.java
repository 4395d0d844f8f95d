package io.vmsup.supervisor.console.impl;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the bytes of a serial log into lines, each with the offset of its first byte. A line ends at {@code \n}; a
 * {@code \r} before it is dropped (a guest's tty writes CRLF). A line is only complete once its {@code \n} arrived,
 * except that a line longer than the limit is cut there (so one endless line cannot grow the buffer forever).
 * Text is decoded as UTF-8 per complete line, so a character split across two reads decodes correctly.
 */
final class LineSplitter {

  private final int maxLine;
  private Buffer pending = Buffer.buffer();
  private long pendingStart;

  LineSplitter(long start, int maxLine) {
    this.pendingStart = start;
    this.maxLine = maxLine;
  }

  /** The offset just past the last byte fed. */
  long end() {
    return pendingStart + pending.length();
  }

  /** Forgets any partial line and continues at {@code offset} (after a truncation or a new file). */
  void reset(long offset) {
    pending = Buffer.buffer();
    pendingStart = offset;
  }

  /**
   * Keeps a partial line and continues at {@code offset} of a new file: after a log rotation a line QEMU was writing
   * may begin in the rotated file and end in the new one. Such a line reports offset 0 (never negative).
   */
  void continueAt(long offset) {
    pendingStart = offset - pending.length();
  }

  /** The complete lines that {@code chunk} (the bytes right after {@link #end()}) finishes. */
  List<ConsoleLine> feed(Buffer chunk) {
    List<ConsoleLine> out = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < chunk.length(); i++) {
      if (chunk.getByte(i) == '\n') {
        pending.appendBuffer(chunk, from, i - from);
        out.add(take(pending.length() + 1));
        from = i + 1;
      } else if (pending.length() + (i + 1 - from) >= maxLine) {
        pending.appendBuffer(chunk, from, i + 1 - from);
        out.add(take(pending.length()));
        from = i + 1;
      }
    }
    pending.appendBuffer(chunk, from, chunk.length() - from);
    return out;
  }

  /** Emits the pending bytes as one line; {@code consumed} bytes of the file move past it. */
  private ConsoleLine take(int consumed) {
    byte[] bytes = pending.getBytes();
    int len = bytes.length;
    if (len > 0 && bytes[len - 1] == '\r') {
      len--;
    }
    ConsoleLine line = new ConsoleLine(new String(bytes, 0, len, StandardCharsets.UTF_8), Math.max(0, pendingStart));
    pendingStart += consumed;
    pending = Buffer.buffer();
    return line;
  }
}
