package io.vmsup.supervisor.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate writes a mutating request's {@code pending} record before the request reaches its handler, which then
 * runs on its own context; the outcome follows with the same {@code call}. A refused
 * request never reaches a handler and has no pending record.
 */
class BusGateAuditTest {

  @TempDir
  Path dir;
  Vertx vertx;
  AuditLog audit;
  BusGate gate;
  Context consumerContext;
  final List<Boolean> onOwnContext = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    audit = Await.result(AuditLog.open(vertx, AuditLog.file(dir), AuditLog.DEFAULT_MAX_BYTES, 2));
    Await.result(audit.written(AuditLog.entry("in-process", "internal", "first", null, "sent", null, null)));
    gate = BusGate.install(vertx, audit);
    vertx.deployVerticle(new io.vertx.core.VerticleBase() {
      @Override
      public io.vertx.core.Future<?> start() {
        consumerContext = context;
        return vertx.eventBus().<JsonObject>localConsumer(Addresses.QMP, m -> {
          onOwnContext.add(((io.vertx.core.internal.ContextInternal) Vertx.currentContext()).unwrap()
              == consumerContext);
          if ("no-such".equals(m.body().getString("execute"))) {
            m.fail(409, new JsonObject().put("error", "conflict").put("message", "not running").encode());
          } else {
            m.reply(new JsonObject().put("return", new JsonObject()));
          }
        }).completion();
      }
    }).toCompletionStage().toCompletableFuture().join();
  }

  @AfterEach
  void tearDown() {
    gate.uninstall();
    Await.result(vertx.close());
  }

  private static DeliveryOptions as(String scope) {
    return new DeliveryOptions().addHeader(Scope.HEADER, scope).addHeader(Scope.TRANSPORT_HEADER, "http");
  }

  private List<JsonObject> file() throws Exception {
    Await.result(audit.flush());
    List<JsonObject> out = new ArrayList<>();
    for (String l : Files.readAllLines(AuditLog.file(dir))) {
      if (!l.contains("\"op\":\"first\"")) {
        out.add(new JsonObject(l));
      }
    }
    return out;
  }

  /**
   * The audit file becomes a FIFO, so the audit thread's write waits for a reader: the request must wait with it.
   * Once that thread is seen blocked there, and the receiver's event loop has run what it had (a delivery that did
   * not wait would have run the handler within the interceptor's own task), the handler has not run; it runs only
   * after the reader took the pending record.
   */
  @Test
  void theHandlerRunsOnlyOnceThePendingRecordIsWrittenAndTheOutcomeFollowsWithTheSameCall() throws Exception {
    Files.delete(AuditLog.file(dir));
    Process mkfifo = new ProcessBuilder("mkfifo", AuditLog.file(dir).toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).isZero();
    JsonObject body = new JsonObject().put("name", "v").put("execute", "query-status");

    // sent from an event loop, which may not block: the audit thread writes the record
    io.vertx.core.Promise<Object> replied = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> vertx.eventBus().request(Addresses.QMP, body, as("admin")).onComplete(replied));
    io.vertx.core.Future<?> reply = replied.future();
    awaitThreadOpeningTheFifo("vmsup-audit-");
    io.vertx.core.Promise<Void> drained = io.vertx.core.Promise.promise();
    consumerContext.runOnContext(v -> drained.complete());
    Await.result(drained.future());
    List<Boolean> before = List.copyOf(onOwnContext);
    List<String> read = new ArrayList<>();
    try (java.io.BufferedReader fifo = Files.newBufferedReader(AuditLog.file(dir))) {
      read.add(fifo.readLine());
      Await.result(reply);
      read.add(fifo.readLine());
    }

    assertThat(before).as("the handler ran before its pending record was written").isEmpty();
    assertThat(onOwnContext).containsExactly(true);
    JsonObject pending = new JsonObject(read.get(0));
    assertThat(pending.getString("outcome")).isEqualTo("pending");
    assertThat(pending.getString("op")).isEqualTo("qmp");
    assertThat(pending.getString("vm")).isEqualTo("v");
    assertThat(pending.getString("scope")).isEqualTo("admin");
    assertThat(pending.getString("call")).isNotBlank();
    JsonObject outcome = new JsonObject(read.get(1));
    assertThat(outcome.getString("outcome")).isEqualTo("ok");
    assertThat(outcome.getString("call")).isEqualTo(pending.getString("call"));
  }

  /**
   * A caller on a thread of its own (which may block) writes its pending record itself as it sends: the FIFO holds
   * that thread, not the audit thread, and the handler has not run until the reader took the record.
   */
  @Test
  void aCallerOnItsOwnThreadWritesThePendingRecordAsItSendsAndTheHandlerWaitsForIt() throws Exception {
    Files.delete(AuditLog.file(dir));
    Process mkfifo = new ProcessBuilder("mkfifo", AuditLog.file(dir).toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).isZero();
    JsonObject body = new JsonObject().put("name", "v").put("execute", "query-status");
    java.util.concurrent.CompletableFuture<io.vertx.core.Future<?>> sent = new java.util.concurrent.CompletableFuture<>();
    Thread caller = new Thread(() -> sent.complete(vertx.eventBus().request(Addresses.QMP, body, as("admin"))),
        "bus-caller");
    caller.start();
    awaitThreadOpeningTheFifo("bus-caller");
    List<Boolean> before = List.copyOf(onOwnContext);
    List<String> read = new ArrayList<>();
    try (java.io.BufferedReader fifo = Files.newBufferedReader(AuditLog.file(dir))) {
      read.add(fifo.readLine());
      Await.result(sent.get(60, java.util.concurrent.TimeUnit.SECONDS));
      read.add(fifo.readLine());
    }
    caller.join();

    assertThat(before).as("the handler ran before its pending record was written").isEmpty();
    assertThat(onOwnContext).containsExactly(true);
    assertThat(new JsonObject(read.get(0)).getString("outcome")).isEqualTo("pending");
    assertThat(new JsonObject(read.get(1)).getString("outcome")).isEqualTo("ok");
    assertThat(new JsonObject(read.get(1)).getString("call")).isEqualTo(new JsonObject(read.get(0)).getString("call"));
  }

  private static void awaitThreadOpeningTheFifo(String thread) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (Thread.getAllStackTraces().entrySet().stream().noneMatch(e -> e.getKey().getName().startsWith(thread)
        && java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals("sun.nio.fs.UnixChannelFactory")
            && f.getMethodName().equals("open")))) {
      assertThat(System.nanoTime()).as(thread + " opening the FIFO").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void aFailedCallKeepsItsCallIdAndARefusedOneNeverReachesTheHandler() throws Exception {
    Throwable failed = Await.failure(vertx.eventBus().request(Addresses.QMP,
        new JsonObject().put("name", "v").put("execute", "no-such"), as("admin")));
    Throwable refused = Await.failure(vertx.eventBus().request(Addresses.QMP,
        new JsonObject().put("name", "v").put("execute", "query-status"), as("read")));

    assertThat(((ReplyException) failed).failureCode()).isEqualTo(409);
    assertThat(((ReplyException) refused).failureCode()).isEqualTo(403);
    assertThat(onOwnContext).hasSize(1);
    List<JsonObject> lines = file();
    assertThat(lines).extracting(e -> e.getString("scope") + " " + e.getString("outcome") + " " + e.getInteger("code"))
        .containsExactly("admin pending null", "admin failed 409", "read forbidden 403");
    assertThat(lines.get(1).getString("call")).isEqualTo(lines.get(0).getString("call"));
    assertThat(lines.get(2).containsKey("call")).isFalse();
  }

  @Test
  void aCreateThatStartsTheVmIsAuditedAsStartingIt() throws Exception {
    Await.result(vertx.eventBus().<JsonObject>localConsumer(Addresses.CREATE, m -> m.reply(m.body())).completion());
    JsonObject spec = new JsonObject().put("name", "both");
    Await.result(vertx.eventBus().request(Addresses.CREATE, spec, as("admin")
        .addHeader(io.vmsup.supervisor.api.CreateAndStart.HEADER, "true")));
    Await.result(vertx.eventBus().request(Addresses.CREATE, spec.copy().put("name", "only"), as("admin")));

    assertThat(file()).extracting(e -> e.getString("op") + " " + e.getString("vm") + " " + e.getString("outcome")
        + " start=" + e.getValue("start"))
        .containsExactly("create both pending start=true", "create both ok start=true",
            "create only pending start=null", "create only ok start=null");
  }
}
