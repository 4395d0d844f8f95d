package io.vmsup.supervisor.console.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystem;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;

/**
 * Follows one VM's serial log with the Vert.x file system (no blocking on the event loop): each {@link #poll()}
 * reads what was appended since the last one and hands over the complete lines. The file is opened per read, so a
 * log that was rotated (renamed, then created anew) or truncated is picked up: a size below the current offset
 * means a new file, read from 0, after the rest of the old one from {@code log.1} (where a rotation put it). A tail {@code fromEnd} starts at the end of the log as its first poll finds it
 * (older lines are history, see {@link History}), past a partial last line.
 */
final class LogTail {

  private static final int CHUNK = 64 * 1024;
  private static final int ROTATED_MAX = 1024 * 1024;

  private final Vertx vertx;
  private final FileSystem fs;
  private final Path log;
  private final Consumer<List<ConsoleLine>> sink;
  private final LineSplitter splitter;
  private boolean started;
  private boolean skipPartial;
  private boolean busy;
  private boolean again;

  /**
   * @param fromEnd start at the end of an existing log (a VM that was there when the daemon started: what it wrote
   *                before is history); false follows the log from its first byte (a VM created since)
   */
  LogTail(Vertx vertx, Path log, int maxLine, boolean fromEnd, Consumer<List<ConsoleLine>> sink) {
    this.started = !fromEnd;
    this.vertx = vertx;
    this.fs = vertx.fileSystem();
    this.log = log;
    this.sink = sink;
    this.splitter = new LineSplitter(0, maxLine);
  }

  /**
   * False when a log of {@code size} ({@link LogSweep#sizes}' figure, read just before) holds nothing this tail has
   * not read: no log yet and this tail already started, or exactly the bytes read so far, or a link (never read).
   * True for anything else, including a size it cannot judge: a {@link #poll} then finds out.
   */
  boolean needsRead(long size) {
    if (busy) {
      return true; // a poll is running: it may have looked before the size was read (poll() then reads again after)
    }
    if (size == LogSweep.LINK) {
      return false;
    }
    if (size == LogSweep.MISSING) {
      return !started;
    }
    return size == LogSweep.UNKNOWN || !started || size != splitter.end();
  }

  /**
   * Reads what is new; while a poll is still running, once more after it (a change it may have missed).
   *
   * @return done when this read is (at once when it was only noted for after the running one)
   */
  Future<Void> poll() {
    if (busy) {
      again = true;
      return Future.succeededFuture();
    }
    busy = true;
    String path = log.toString();
    // one file-system call per poll (a sweep of 10,000 logs every 30 s is ~330 polls a second): lprops, whose
    // NoSuchFileException is "no log yet"
    return fs.lprops(path)
        .compose(p -> p.isSymbolicLink() ? Future.<Void>succeededFuture() // a link planted there is never followed
            : step(path, p.size()), err -> {
              if (!(err.getCause() instanceof java.nio.file.NoSuchFileException)) {
                return Future.<Void>failedFuture(err);
              }
              // no log yet: the VM's first QEMU will create it, and every line of it is new
              started = true;
              return Future.<Void>succeededFuture();
            })
        .andThen(ar -> {
          busy = false;
          if (again) {
            again = false;
            poll();
          }
        });
  }

  private Future<Void> step(String path, long size) {
    if (!started) {
      started = true;
      splitter.reset(size);
      if (size > 0) {
        return lastByteIsNewline(path, size).map(nl -> {
          skipPartial = !nl;
          return null;
        });
      }
      return Future.succeededFuture();
    }
    if (size < splitter.end()) {
      // rotated: its earlier bytes are in log.1 at the same offsets (a copy, or the renamed file)
      // then the new file at once: the change that showed the truncation may be the last one announced
      return rotatedRest(splitter.end()).compose(v -> {
        splitter.continueAt(0);
        skipPartial = false;
        return step(path, size);
      });
    }
    long at = splitter.end();
    if (size == at) {
      return Future.succeededFuture();
    }
    int len = (int) Math.min(CHUNK, size - at);
    return read(path, at, len).compose(chunk -> {
      List<ConsoleLine> lines = splitter.feed(chunk);
      if (skipPartial && !lines.isEmpty()) {
        skipPartial = false;
        lines = lines.subList(1, lines.size());
      }
      if (!lines.isEmpty()) {
        sink.accept(lines);
      }
      // more than a chunk was appended: read on now, no further change may be announced for it
      return chunk.length() == len && at + len < size ? step(path, size) : Future.<Void>succeededFuture();
    });
  }

  /** Hands over the lines of {@code log.1} past {@code from} (at most {@link #ROTATED_MAX} bytes of them). */
  private Future<Void> rotatedRest(long from) {
    String previous = log.resolveSibling(log.getFileName() + ".1").toString();
    return fs.props(previous).compose(p -> {
      if (p.size() <= from) {
        return Future.<Void>succeededFuture();
      }
      int len = (int) Math.min(ROTATED_MAX, p.size() - from);
      return read(previous, from, len).map(chunk -> {
        List<ConsoleLine> lines = splitter.feed(chunk);
        if (!lines.isEmpty()) {
          sink.accept(lines);
        }
        return (Void) null;
      });
    }).otherwise(err -> null);
  }

  private Future<Boolean> lastByteIsNewline(String path, long size) {
    return read(path, size - 1, 1).map(b -> b.length() == 1 && b.getByte(0) == '\n');
  }

  /** Reads on a worker, refusing a link at the name (O_NOFOLLOW: no window between a check and the open). */
  private Future<Buffer> read(String path, long at, int len) {
    return vertx.executeBlocking(() -> {
      try (FileChannel ch = FileChannel.open(Path.of(path), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
        ByteBuffer bytes = ByteBuffer.allocate(len);
        while (bytes.hasRemaining() && ch.read(bytes, at + bytes.position()) > 0) {
          // until len bytes or the end of the file
        }
        return Buffer.buffer().appendBytes(bytes.array(), 0, bytes.position());
      }
    }, false);
  }
}
