package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.RuntimeArgs;
import io.vmsup.supervisor.api.VmException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The actor's answer to {@code log}: the last lines of each of its VM's logs ({@code qemu}, {@code serial}), read
 * on a worker (at most {@link #MAX_BYTES} from the end of each file). Only the VM's own
 * room reads its files; HTTP asks over the bus.
 */
final class LogReader {

  static final int MAX_BYTES = 256 * 1024;
  /** The most lines one request may ask for. */
  static final int MAX_LINES = 5000;

  private final Vertx vertx;

  LogReader(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Body {@code {"name","lines"}}: reply {@code {"name","qemu":{"path","exists","lines"},"serial":{...}}}. */
  static Future<JsonObject> of(VmCore vm, JsonObject body) {
    if (!(body.getValue("lines") instanceof Integer lines) || lines < 0 || lines > MAX_LINES) {
      return Future.failedFuture(VmException.invalid("lines must be a whole number from 0 to " + MAX_LINES,
          new JsonArray().add(new JsonObject().put("path", "lines")
              .put("message", "must be a whole number from 0 to " + MAX_LINES))));
    }
    RuntimeArgs paths = vm.paths();
    LogReader reader = new LogReader(vm.vertx());
    Future<JsonObject> qemu = reader.tail(paths.qemuLog().toString(), lines);
    Future<JsonObject> serial = reader.tail(paths.serialLog().toString(), lines);
    return Future.all(qemu, serial).map(both -> new JsonObject().put("name", vm.name())
        .put("qemu", qemu.result()).put("serial", serial.result()));
  }

  /**
   * Never fails: a missing file gives {@code exists: false}. When the log holds fewer lines than asked (it was
   * rotated), the last lines of {@code path.1} come first.
   */
  Future<JsonObject> tail(String path, int lines) {
    JsonObject result = new JsonObject().put("path", path);
    return lastLines(path, lines).compose(current -> {
      if (current == null || current.size() >= lines) {
        return Future.succeededFuture(current);
      }
      return lastLines(path + ".1", lines - current.size()).map(old -> {
        if (old == null) {
          return current;
        }
        JsonArray both = old.copy();
        current.forEach(both::add);
        return both;
      });
    }).map(found -> found == null ? result.put("exists", false).put("lines", new JsonArray())
        : result.put("exists", true).put("lines", found));
  }

  /**
   * The last lines of one file, or null when it cannot be read. Read on a worker without following a symbolic link
   * (O_NOFOLLOW): the serial log is created by QEMU, under a confined VM's own uid in a directory it may write, and a
   * link it put there (to /etc/shadow, to another VM's log) must not have the daemon read the host file as root.
   */
  private Future<JsonArray> lastLines(String path, int lines) {
    return vertx.executeBlocking(() -> {
      try (FileChannel f = FileChannel.open(Path.of(path), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
        long size = f.size();
        long start = Math.max(0, size - MAX_BYTES);
        ByteBuffer buf = ByteBuffer.allocate((int) (size - start));
        while (buf.hasRemaining() && f.read(buf, start + buf.position()) > 0) {
          // until the tail is read (or the file shrank meanwhile)
        }
        buf.flip();
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        return lastLines(Buffer.buffer(bytes), lines);
      }
    }, false).otherwise(err -> null);
  }

  static JsonArray lastLines(Buffer buf, int lines) {
    String text = buf.toString(StandardCharsets.UTF_8);
    String[] split = text.split("\r?\n", -1);
    int end = split.length;
    if (end > 0 && split[end - 1].isEmpty()) {
      end--;
    }
    JsonArray out = new JsonArray();
    for (int i = Math.max(0, end - lines); i < end; i++) {
      out.add(split[i]);
    }
    return out;
  }
}
