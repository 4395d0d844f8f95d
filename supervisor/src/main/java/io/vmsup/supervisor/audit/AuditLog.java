package io.vmsup.supervisor.audit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.audit.impl.AuditLogImpl;
import io.vmsup.supervisor.audit.impl.Stamps;
import java.nio.file.Path;

/**
 * The audit log: one JSON object per line for every mutating request, whatever the transport —
 * {@code {"at","transport","scope","op","vm","outcome","code"?,"message"?,"call"?}} — in
 * {@code <state>/audit/audit.log} (0600). A request that waits for a reply is written twice with the same
 * {@code call}: {@code outcome: pending} before it reaches its handler, then its outcome; a call a killed daemon left
 * pending is closed as {@code unknown} at the next start. When the file would pass its size cap it is renamed to
 * {@code audit.log.1} (older ones shift up to {@code audit.log.<keep>}, the oldest is dropped) and a new one begins.
 * Records are written ({@code write(2)}) but not fsync'd: a written record survives the daemon's death (kill -9), not
 * necessarily the host's before the kernel writes it back.
 */
public interface AuditLog {

  /** Default size cap of one file: 10 MiB. */
  long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
  /** Default number of rotated files kept. */
  int DEFAULT_KEEP = 5;

  /**
   * Opens (creating the directory, mode 0700) the audit log, after closing as {@code unknown} every call the previous
   * daemon left {@code pending}. Records are appended in order on one worker thread.
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

  /**
   * Hands one record in, in order, without waking the writing thread yet: the action returned does (run it once, when
   * what must not wait for that wake-up is done, e.g. a reply delivered); a record or a flush handed in later is
   * written after this one all the same.
   */
  Runnable queued(JsonObject entry);

  /**
   * Appends one record and completes once the file holds it (written, not fsync'd), on the audit's worker thread or,
   * when the caller's thread may block (not an event loop) and no write is under way, on the caller's own before this
   * returns: hop back to your context before acting. Fails with the I/O error when it could not be written (the record is then
   * on the daemon's log).
   */
  Future<Void> written(JsonObject entry);

  /** Completes when every record handed in so far is written. */
  Future<Void> flush();

  /** A record stamped now; {@code vm}, {@code code} and {@code message} may be null. */
  static JsonObject entry(String transport, String scope, String op, String vm, String outcome, Integer code,
      String message) {
    JsonObject e = new JsonObject().put("at", Stamps.now()).put("transport", transport)
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
