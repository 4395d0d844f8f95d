package io.vmsup.supervisor.audit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.audit.impl.AuditLogImpl;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The audit log: one JSON object per line for every mutating request, whatever the transport —
 * {@code {"at","transport","scope","op","vm","outcome","code"?,"message"?}} — in {@code <state>/audit/audit.log}
 * (0600). When the file would pass its size cap it is renamed to {@code audit.log.1} (older ones shift up to
 * {@code audit.log.<keep>}, the oldest is dropped) and a new one begins.
 */
public interface AuditLog {

  /** Default size cap of one file: 10 MiB. */
  long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
  /** Default number of rotated files kept. */
  int DEFAULT_KEEP = 5;

  /**
   * Opens (creating the directory, mode 0700) the audit log. Records are appended in order on one worker thread.
   *
   * @param file     the log file
   * @param maxBytes the size cap of one file
   * @param keep     rotated files kept ({@code audit.log.1} .. {@code audit.log.<keep>})
   */
  static Future<AuditLog> open(Vertx vertx, Path file, long maxBytes, int keep) {
    return AuditLogImpl.open(vertx, file, maxBytes, keep);
  }

  /** The file of a state directory's audit log. */
  static Path file(Path stateDir) {
    return stateDir.resolve("audit").resolve("audit.log");
  }

  /**
   * Appends one record (never blocks the caller). A record that cannot be written is reported on the daemon's log
   * with its content, never dropped silently.
   */
  void record(JsonObject entry);

  /** Completes when every record handed in so far is written. */
  Future<Void> flush();

  /** A record stamped now; {@code vm}, {@code code} and {@code message} may be null. */
  static JsonObject entry(String transport, String scope, String op, String vm, String outcome, Integer code,
      String message) {
    JsonObject e = new JsonObject().put("at", Instant.now().toString()).put("transport", transport)
        .put("scope", scope).put("op", op).put("vm", vm).put("outcome", outcome);
    if (code != null) {
      e.put("code", code);
    }
    if (message != null) {
      e.put("message", message);
    }
    return e;
  }
}
