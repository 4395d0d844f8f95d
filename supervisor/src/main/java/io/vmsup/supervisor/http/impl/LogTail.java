package io.vmsup.supervisor.http.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.http.LogLocator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/vms/{name}/log?lines=N}: the last lines of each of a VM's logs, read with the non-blocking file
 * system API (at most {@link #MAX_BYTES} from the end of each file).
 */
final class LogTail {

  static final int MAX_BYTES = 256 * 1024;
  static final int DEFAULT_LINES = 100;
  static final int MAX_LINES = 5000;

  private final Vertx vertx;
  private final VmRoutes vms;
  private final LogLocator locator;

  LogTail(Vertx vertx, VmRoutes vms, LogLocator locator) {
    this.vertx = vertx;
    this.vms = vms;
    this.locator = locator;
  }

  void handle(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Integer lines = lines(ctx);
    if (lines == null) {
      return;
    }
    vms.request(Addresses.GET, new JsonObject().put("name", name), Duration.ofSeconds(10)).onComplete(ar -> {
      if (ar.failed()) {
        Responses.busFailure(ctx, ar.cause());
        return;
      }
      Map<String, String> logs = locator.logs(name);
      List<Future<JsonObject>> reads = new ArrayList<>();
      logs.forEach((log, path) -> reads.add(tail(path, lines)));
      Future.all(reads).onComplete(done -> {
        JsonObject body = new JsonObject().put("name", name);
        int i = 0;
        for (String log : logs.keySet()) {
          body.put(log, reads.get(i++).result());
        }
        Responses.json(ctx, 200, body);
      });
    });
  }

  private static Integer lines(RoutingContext ctx) {
    String value = ctx.request().getParam("lines");
    if (value == null) {
      return DEFAULT_LINES;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 0 && n <= MAX_LINES) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    Responses.problem(ctx, HttpProblems.badBody("lines", "must be a whole number from 0 to " + MAX_LINES));
    return null;
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

  /** The last lines of one file, or null when it cannot be read. */
  private Future<JsonArray> lastLines(String path, int lines) {
    return vertx.fileSystem().open(path, new OpenOptions().setRead(true).setWrite(false).setCreate(false))
        .compose(file -> file.size()
            .compose(size -> readTail(file, size))
            .andThen(x -> file.close()))
        .map(buf -> lastLines(buf, lines))
        .otherwise(err -> null);
  }

  private static Future<Buffer> readTail(AsyncFile file, long size) {
    long start = Math.max(0, size - MAX_BYTES);
    int length = (int) (size - start);
    return file.read(Buffer.buffer(length), 0, start, length);
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
