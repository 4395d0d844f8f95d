package io.vmsup.supervisor.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.store.Tmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit file itself, on real files: a record is in the file when {@link AuditLog#written} completes; calls a
 * killed daemon left {@code pending} are closed as {@code unknown} at the next open (once); a file deleted or moved
 * by someone else is reopened; the cap rotates; a full disk fails the write, puts the record on the daemon's log, and
 * the next record after the space is back starts on a line of its own.
 */
class AuditLogTest {

  @TempDir
  Path dir;
  Vertx vertx;
  final List<String> logged = new CopyOnWriteArrayList<>();
  final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      logged.add(r.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    Logger.getLogger(AuditLog.class.getName()).addHandler(capture);
  }

  @AfterEach
  void tearDown() {
    Logger.getLogger(AuditLog.class.getName()).removeHandler(capture);
    Await.result(vertx.close());
  }

  private Path file() {
    return dir.resolve("audit").resolve("audit.log");
  }

  private AuditLog open(long maxBytes) {
    return Await.result(AuditLog.open(vertx, file(), maxBytes, 2));
  }

  private static JsonObject call(String id, String outcome) {
    return AuditLog.entry("http", "admin", "qmp", "v", outcome, null, null).put("call", id);
  }

  private List<JsonObject> lines(Path f) throws Exception {
    List<JsonObject> out = new ArrayList<>();
    for (String l : Files.readAllLines(f)) {
      if (l.endsWith("}")) { // the test plants a line a full disk cut short
        out.add(new JsonObject(l));
      }
    }
    return out;
  }

  @Test
  void aRecordIsInTheFileWhenWrittenCompletesAndRecordsKeepTheirOrder() throws Exception {
    AuditLog log = open(AuditLog.DEFAULT_MAX_BYTES);
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      log.record(call("r" + i, "sent"));
      all.add(log.written(call("w" + i, "pending")));
    }

    Await.result(all.get(all.size() - 1));

    List<JsonObject> lines = lines(file());
    assertThat(lines).hasSize(400);
    for (int i = 0; i < 200; i++) {
      assertThat(lines.get(2 * i).getString("call")).isEqualTo("r" + i);
      assertThat(lines.get(2 * i + 1).getString("call")).isEqualTo("w" + i);
    }
    assertThat(Files.getPosixFilePermissions(file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void callsLeftPendingByAKilledDaemonAreClosedAsUnknownAtTheNextOpenOnce() throws Exception {
    Files.createDirectories(file().getParent());
    Files.write(file().resolveSibling("audit.log.1"), List.of(call("a", "pending").encode(),
        call("b", "pending").encode(), call("a", "ok").encode()));
    Files.write(file(), List.of(call("c", "pending").encode(), call("b", "failed").put("code", 404).encode(),
        call("d", "pending").encode(), "{\"at\":\"x\",\"call\":\"e\",\"outcome\":\"pend", call("f", "no-reply")
            .encode(), AuditLog.entry("http", "read", "kill", "v", "forbidden", 403, "no").encode()));

    Await.result(open(AuditLog.DEFAULT_MAX_BYTES).flush());
    Await.result(open(AuditLog.DEFAULT_MAX_BYTES).flush());

    List<JsonObject> unknown = lines(file()).stream().filter(e -> "unknown".equals(e.getString("outcome"))).toList();
    assertThat(unknown).extracting(e -> e.getString("call")).containsExactly("c", "d");
    assertThat(unknown.get(0).getString("op")).isEqualTo("qmp");
    assertThat(unknown.get(0).getString("vm")).isEqualTo("v");
    assertThat(unknown.get(0).getString("message")).contains("the daemon stopped before this request's outcome was"
        + " known", "whether it took effect is unknown");
    assertThat(logged).anyMatch(m -> m.contains("2 request(s) had no outcome when the daemon stopped"));
  }

  @Test
  void aFileDeletedOrMovedByAnotherIsReopenedNotWrittenUnseen() throws Exception {
    AuditLog log = open(AuditLog.DEFAULT_MAX_BYTES);
    Await.result(log.written(call("1", "ok")));
    Files.delete(file());
    Await.result(log.written(call("2", "ok")));
    Files.move(file(), dir.resolve("moved"));
    Files.writeString(file(), "");
    Await.result(log.written(call("3", "ok")));

    assertThat(lines(file())).extracting(e -> e.getString("call")).containsExactly("3");
    assertThat(lines(dir.resolve("moved"))).extracting(e -> e.getString("call")).containsExactly("2");
  }

  /** An interrupt closes a file channel for good: the next write reopens the file instead of failing forever. */
  @Test
  void anInterruptOfTheAuditThreadDoesNotEndTheLog() throws Exception {
    AuditLog log = open(AuditLog.DEFAULT_MAX_BYTES);
    Await.result(log.written(call("1", "ok")));
    Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("vmsup-audit-"))
        .forEach(Thread::interrupt);

    Await.result(log.flush());
    log.record(call("2", "ok"));
    Await.result(log.flush());
    Await.result(log.written(call("3", "ok")));

    assertThat(lines(file())).extracting(e -> e.getString("call")).contains("1", "3");
  }

  @Test
  void aFileAtItsCapRotatesAndTheOldestIsDropped() throws Exception {
    AuditLog log = open(300);
    for (int i = 0; i < 12; i++) {
      Await.result(log.written(call("c" + i, "ok")));
    }

    List<JsonObject> all = new ArrayList<>(lines(file().resolveSibling("audit.log.2")));
    all.addAll(lines(file().resolveSibling("audit.log.1")));
    all.addAll(lines(file()));
    assertThat(Files.size(file())).isLessThanOrEqualTo(300);
    assertThat(all).extracting(e -> e.getString("call")).endsWith("c9", "c10", "c11").doesNotContain("c0");
    assertThat(file().resolveSibling("audit.log.3")).doesNotExist();
  }

  @Test
  void aFullDiskFailsTheWriteLogsTheRecordAndTheNextRecordStartsOnItsOwnLine() throws Exception {
    assumeTrue(Tmpfs.root(), "mounting a tmpfs needs root");
    try (Tmpfs disk = Tmpfs.mount("256k")) {
      Path file = disk.mountPoint.resolve("audit").resolve("audit.log");
      AuditLog log = Await.result(AuditLog.open(vertx, file, AuditLog.DEFAULT_MAX_BYTES, 2));
      Await.result(log.written(call("before", "ok")));
      disk.fill();
      // larger than any page a full tmpfs could still hold: the write is refused at least in part
      JsonObject big = call("lost", "pending").put("message", "m".repeat(64 * 1024));

      Throwable refused = Await.failure(log.written(big));
      disk.free();
      Await.result(log.written(call("after", "ok")));

      assertThat(refused).hasMessageContaining("No space left on device");
      assertThat(logged).anyMatch(m -> m.startsWith("audit record not written") && m.contains("\"call\":\"lost\""));
      List<String> lines = Files.readAllLines(file);
      assertThat(new JsonObject(lines.get(0)).getString("call")).isEqualTo("before");
      assertThat(new JsonObject(lines.get(lines.size() - 1)).getString("call")).isEqualTo("after");
    }
  }

  @Test
  void theAuditThreadOutlivesGarbageCollection() throws Exception {
    // the audit thread's pool belongs to a worker executor that Vert.x closes once it is unreachable (its cleaner): a
    // log that kept only the pool lost it at a GC, and its records were then written by whichever thread handed them in
    // (an event loop), without the queue's hold, torn or out of order beside a concurrent writer, or never (a drain
    // queued on the pool as it closed)
    AuditLog log = Await.result(AuditLog.open(vertx, AuditLog.file(dir), AuditLog.DEFAULT_MAX_BYTES, 2));
    for (int i = 0; i < 30; i++) {
      System.gc();
      JsonObject entry = AuditLog.entry("http", "admin", "qmp", "v", "pending", null, null).put("call", "c" + i);
      io.vertx.core.Promise<Void> written = io.vertx.core.Promise.promise();
      vertx.runOnContext(v -> log.written(entry).onComplete(written));
      Await.result(written.future());
    }
    Await.result(log.flush());
    assertThat(logged).as("the daemon's log").noneMatch(m -> m.contains("pool is closed"));
    assertThat(Files.readAllLines(AuditLog.file(dir))).hasSize(30)
        .allSatisfy(l -> assertThat(new JsonObject(l).getString("outcome")).isEqualTo("pending"));
  }
}
