package io.vmsup.supervisor.console.impl;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The last complete lines of a serial log, read backwards in blocks. Blocking: call it on a worker. A partial last
 * line is left out; {@link Result#next()} is where it starts, which is where the live stream continues.
 */
final class History {

  private static final int BLOCK = 64 * 1024;
  /** Never read more than this much history for one request. */
  static final long MAX_BYTES = 8L * 1024 * 1024;

  record Result(List<ConsoleLine> lines, long next) {
  }

  private History() {
  }

  static Result read(Path log, int lines, int maxLine) throws IOException {
    if (!Files.isRegularFile(log)) {
      return new Result(List.of(), 0);
    }
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long size = f.length();
      long end = lastNewline(f, size);
      long start = end;
      int found = 0;
      // walk back until `lines` line starts are known (or the byte budget / the file start is hit)
      while (start > 0 && found <= lines && end - start < MAX_BYTES) {
        int n = (int) Math.min(BLOCK, start);
        byte[] block = new byte[n];
        f.seek(start - n);
        f.readFully(block);
        for (int i = n - 1; i >= 0 && found <= lines; i--) {
          if (block[i] == '\n' && start - n + i + 1 < end) {
            found++;
          }
        }
        start -= n;
      }
      byte[] text = new byte[(int) (end - start)];
      f.seek(start);
      f.readFully(text);
      LineSplitter splitter = new LineSplitter(start, maxLine);
      List<ConsoleLine> all = new ArrayList<>(splitter.feed(Buffer.buffer(text)));
      if (start > 0 && !all.isEmpty()) {
        all.remove(0); // it may begin mid-line
      }
      return new Result(List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size())), end);
    }
  }

  /** The offset just past the last {@code \n} (0 when there is none). */
  private static long lastNewline(RandomAccessFile f, long size) throws IOException {
    long pos = size;
    while (pos > 0 && size - pos < MAX_BYTES) {
      int n = (int) Math.min(BLOCK, pos);
      byte[] block = new byte[n];
      f.seek(pos - n);
      f.readFully(block);
      for (int i = n - 1; i >= 0; i--) {
        if (block[i] == '\n') {
          return pos - n + i + 1;
        }
      }
      pos -= n;
    }
    return pos == 0 ? 0 : size;
  }
}
