package io.vmsup.supervisor.console.impl;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The last complete lines of a serial log, read backwards in blocks. Blocking: call it on a worker. A partial last
 * line is left out; {@link Result#next()} is where it starts, which is where the live stream continues. With
 * {@code after} (a line offset a client saw last, as SSE's {@code Last-Event-ID}) only later lines count; an
 * {@code after} beyond the log's size means the log was replaced and is ignored.
 */
final class History {

  private static final int BLOCK = 64 * 1024;
  /** Never read more than this much history for one request. */
  static final long MAX_BYTES = 8L * 1024 * 1024;

  /** @param truncated lines after {@code after} were left out (more than asked for, or the byte budget) */
  record Result(List<ConsoleLine> lines, long next, boolean truncated) {
  }

  private History() {
  }

  static Result read(Path log, int lines, int maxLine) throws IOException {
    return read(log, lines, -1, maxLine);
  }

  /**
   * @param after only lines with a larger offset, or -1 for no limit; without a limit, lines of the rotated
   *              {@code log.1} come first when the current log holds fewer than asked (their offsets are those of
   *              the old file)
   */
  static Result read(Path log, int lines, long after, int maxLine) throws IOException {
    Result current = readOne(log, lines, after, maxLine);
    Path previous = log.resolveSibling(log.getFileName() + ".1");
    if (after >= 0 || current.lines().size() >= lines || !Files.isRegularFile(previous, NOFOLLOW)) {
      return current;
    }
    Result old = readOne(previous, lines - current.lines().size(), -1, maxLine);
    List<ConsoleLine> both = new ArrayList<>(old.lines());
    List<ConsoleLine> now = new ArrayList<>(current.lines());
    // a line QEMU was writing during the rotation begins in log.1 (after its last newline) and ends the new file's
    // first line
    String head = partialTail(previous, old.next(), maxLine);
    if (!head.isEmpty() && !now.isEmpty() && now.get(0).offset() == 0) {
      now.set(0, new ConsoleLine(head + now.get(0).line(), 0));
    }
    both.addAll(now);
    return new Result(List.copyOf(both.subList(Math.max(0, both.size() - lines), both.size())), current.next(),
        current.truncated());
  }

  /** The bytes of {@code log} after {@code from} (its unfinished last line), at most {@code maxLine}. */
  private static String partialTail(Path log, long from, int maxLine) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      int n = (int) Math.max(0, Math.min(maxLine, f.length() - from));
      byte[] bytes = new byte[n];
      f.seek(from);
      f.readFully(bytes);
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  // a confined QEMU creates the serial log under its own uid in a directory it may write: a symbolic link it put in
  // its place (to /etc/shadow) must not have the daemon read the host file as root and show it as console history.
  // Checked, not opened O_NOFOLLOW: a link swapped in between the check and the open is still followed
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private static Result readOne(Path log, int lines, long after, int maxLine) throws IOException {
    if (!Files.isRegularFile(log, NOFOLLOW)) {
      return new Result(List.of(), 0, false);
    }
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long size = f.length();
      long end = lastNewline(f, size);
      long floor = after >= size ? -1 : after;
      long start = end;
      int found = 0;
      // walk back until `lines` line starts are known (or `after`, the byte budget or the file start is hit)
      while (start > 0 && start > floor && found <= lines && end - start < MAX_BYTES) {
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
      if (start > floor && start > 0 && !all.isEmpty()) {
        all.remove(0); // it may begin mid-line
      }
      all.removeIf(l -> l.offset() <= floor);
      boolean truncated = floor >= 0 && (start > floor && start > 0 || all.size() > lines);
      return new Result(List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size())), end, truncated);
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
