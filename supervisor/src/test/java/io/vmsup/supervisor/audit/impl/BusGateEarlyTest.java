package io.vmsup.supervisor.audit.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.PassThroughTargets;
import io.vmsup.supervisor.api.Scope;
import io.vmsup.supervisor.audit.AuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pass-through's pending record begun as the request is sent (issue 15): on a VM's own address only while its
 * actor holds it (a request to an address without a handler leaves no record), a record whose request never reached
 * a handler is closed as {@code undelivered} (not {@code no-reply}), and the handler still finds its record written.
 */
class BusGateEarlyTest {

  @TempDir
  Path dir;
  Vertx vertx;
  AuditLog audit;
  BusGateImpl gate;
  final List<List<String>> seenByHandler = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    audit = Await.result(AuditLog.open(vertx, AuditLog.file(dir), AuditLog.DEFAULT_MAX_BYTES, 2));
    gate = (BusGateImpl) BusGateImpl.install(vertx, audit);
  }

  @AfterEach
  void tearDown() {
    gate.uninstall();
    Await.result(vertx.close());
  }

  private void vmHandlerOn(String address) {
    Await.result(vertx.eventBus().<JsonObject>localConsumer(address, m -> {
      try {
        seenByHandler.add(Files.readAllLines(AuditLog.file(dir)));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      m.reply(new JsonObject().put("return", new JsonObject()));
    }).completion());
  }

  private List<JsonObject> file() throws Exception {
    Await.result(audit.flush());
    List<JsonObject> out = new ArrayList<>();
    if (!Files.exists(AuditLog.file(dir))) {
      return out;
    }
    for (String l : Files.readAllLines(AuditLog.file(dir))) {
      out.add(new JsonObject(l));
    }
    return out;
  }

  private static DeliveryOptions admin() {
    return new DeliveryOptions().addHeader(Scope.HEADER, "admin").addHeader(Scope.TRANSPORT_HEADER, "http");
  }

  private static JsonObject status(String vm) {
    return new JsonObject().put("name", vm).put("execute", "query-status");
  }

  @Test
  void aVmsOwnAddressHeldByItsActorIsAuditedAsTheQmpPassThroughWrittenBeforeItsHandler() throws Exception {
    vmHandlerOn(Addresses.passThrough("v1"));
    PassThroughTargets.mark(vertx, "v1");
    // from an event loop (the HTTP edge's case) and from a thread of its own (an in-process caller's)
    io.vertx.core.Promise<Object> fromLoop = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> vertx.eventBus().request(Addresses.passThrough("v1"), status("v1"), admin())
        .onComplete(fromLoop));
    Await.result(fromLoop.future());
    Await.result(vertx.eventBus().request(Addresses.passThrough("v1"), status("v1"), admin()));

    List<JsonObject> lines = file();
    assertThat(lines).extracting(e -> e.getString("op") + " " + e.getString("vm") + " " + e.getString("outcome"))
        .containsExactly("qmp v1 pending", "qmp v1 ok", "qmp v1 pending", "qmp v1 ok");
    assertThat(seenByHandler).hasSize(2);
    for (int i = 0; i < 2; i++) {
      String call = lines.get(2 * i).getString("call");
      assertThat(lines.get(2 * i + 1).getString("call")).isEqualTo(call);
      assertThat(seenByHandler.get(i)).as("the handler found its pending record in the file")
          .anyMatch(l -> l.contains("\"call\":\"" + call + "\"") && l.contains("\"outcome\":\"pending\""));
    }
  }

  @Test
  void aVmsOwnAddressWithoutAnActorLeavesNoRecord() throws Exception {
    // not marked: no VM of that name here (the edge then asks vmsup.vm.qmp, whose answer is audited)
    Throwable t = Await.failure(vertx.eventBus().request(Addresses.passThrough("ghost"), status("ghost"), admin()));

    assertThat(((ReplyException) t).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
    assertThat(file()).isEmpty();
  }

  @Test
  void aRecordWhoseRequestNeverReachedAHandlerIsClosedAsUndeliveredNotAsNoReply() throws Exception {
    // the actor let its address go between the sender's look and the delivery (a delete racing the request)
    PassThroughTargets.mark(vertx, "gone");
    Throwable t = Await.failure(vertx.eventBus().request(Addresses.passThrough("gone"), status("gone"), admin()));
    // a delivered call whose caller gave up before the reply
    Await.result(vertx.eventBus().<JsonObject>localConsumer(Addresses.QMP, m -> { }).completion());
    Await.failure(vertx.eventBus().request(Addresses.QMP, status("slow"), admin().setSendTimeout(50)));

    gate.sweep(System.nanoTime());
    List<JsonObject> before = file();
    gate.sweep(System.nanoTime() + TimeUnit.MINUTES.toNanos(11));
    List<JsonObject> after = file();

    assertThat(((ReplyException) t).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
    assertThat(before).extracting(e -> e.getString("vm") + " " + e.getString("outcome"))
        .containsExactly("gone pending", "slow pending");
    assertThat(after.subList(2, after.size())).extracting(e -> e.getString("vm") + " " + e.getString("outcome"))
        .containsExactlyInAnyOrder("gone undelivered", "slow no-reply");
    assertThat(after.get(2).getString("call")).isIn(before.get(0).getString("call"), before.get(1).getString("call"));
  }

  @Test
  void aReadTokenIsStillRefusedAtTheGateWithoutAPendingRecord() throws Exception {
    vmHandlerOn(Addresses.QMP);
    Throwable refused = Await.failure(vertx.eventBus().request(Addresses.QMP, status("v"),
        new DeliveryOptions().addHeader(Scope.HEADER, "read")));
    // two scope values (a stamp beside a forgery) are never admin
    Throwable doubled = Await.failure(vertx.eventBus().request(Addresses.QMP, status("v"),
        new DeliveryOptions().addHeader(Scope.HEADER, "admin").addHeader(Scope.HEADER, "read")));

    assertThat(((ReplyException) refused).failureCode()).isEqualTo(403);
    assertThat(((ReplyException) doubled).failureCode()).isEqualTo(403);
    assertThat(seenByHandler).isEmpty();
    assertThat(file()).extracting(e -> e.getString("scope") + " " + e.getString("outcome"))
        .containsExactly("read forbidden", "admin+read forbidden");
  }

  @Test
  void anInterruptedCallerHasItsRecordWrittenAndKeepsItsInterrupt() throws Exception {
    Thread.currentThread().interrupt();
    try {
      io.vertx.core.Future<Void> written = audit.written(AuditLog.entry("in-process", "internal", "qmp", "v",
          "pending", null, null));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      Thread.interrupted();
      Await.result(written);
    } finally {
      Thread.interrupted();
    }
    assertThat(file()).extracting(e -> e.getString("outcome")).containsExactly("pending");
  }
}
