package io.vmsup.supervisor.audit.impl;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests a previous daemon audited as {@code pending} (written before the request reached its handler) and
 * never closed with an outcome: the daemon was killed (or crashed, or the host went down) while they ran. Each is
 * closed at the next start by a record {@code outcome: unknown} with the same {@code call}: whether it took effect
 * cannot be told from here (a reply always tells the truth: "cannot tell" is not "failed").
 */
final class Unfinished {

  private static final String CALL = "\"call\":\"";
  private static final String PENDING = "\"outcome\":\"pending\"";

  private Unfinished() {
  }

  /** The closing records, in the order the calls began, from {@code files} (oldest first; absent ones skipped). */
  static List<JsonObject> find(Path... files) throws IOException {
    Map<String, JsonObject> open = new LinkedHashMap<>();
    for (Path f : files) {
      try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          scan(line, open);
        }
      } catch (NoSuchFileException absent) {
        // not rotated yet, or never written
      }
    }
    List<JsonObject> closing = new ArrayList<>();
    String now = Instant.now().toString();
    for (JsonObject begun : open.values()) {
      closing.add(begun.copy().put("at", now).put("outcome", "unknown").put("message", "the daemon stopped before"
          + " this request's outcome was known (killed, crashed or the host went down): whether it took effect is"
          + " unknown; begun at " + begun.getString("at")));
    }
    return closing;
  }

  // our own encoder wrote these lines: "call":" can only be the member (inside a string its quotes are escaped)
  private static void scan(String line, Map<String, JsonObject> open) {
    int at = line.indexOf(CALL);
    if (at < 0) {
      return;
    }
    int end = line.indexOf('"', at + CALL.length());
    if (end < 0) {
      return; // a line a full disk cut short
    }
    String call = line.substring(at + CALL.length(), end);
    if (!line.contains(PENDING)) {
      open.remove(call);
      return;
    }
    try {
      open.put(call, new JsonObject(line));
    } catch (DecodeException torn) {
      open.put(call, new JsonObject().put("call", call).put("note", "its pending record is damaged"));
    }
  }
}
