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

  /**
   * The actor lets its address go while a sender is between its look and the bus (a delete racing the call; here an
   * interceptor after the gate's, which runs inside its hand-over, releases the address and unregisters the consumer
   * once the release completes, as the actor's stop then its undeployment do): the address stays until the request is
   * in the consumer's queue, so its record is closed by the time the caller has its answer, as what happened: {@code
   * ok} when the handler ran, {@code undelivered} when the consumer went first and discarded it unread. Never left
   * {@code pending} for the sweep (nor {@code unknown} after a kill -9), and never {@code ok} for a call that did not
   * run. From a thread of its own and from an event loop, both orders of the race.
   */
  @Test
  void anAddressReleasedBetweenTheLookAndTheSendKeepsItsHandlerUntilTheRequestIsQueued() throws Exception {
    java.util.Map<String, io.vertx.core.Future<Void>> released = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.Map<String, io.vertx.core.eventbus.MessageConsumer<JsonObject>> consumers =
        new java.util.concurrent.ConcurrentHashMap<>();
    java.util.Set<String> ran = java.util.concurrent.ConcurrentHashMap.newKeySet();
    io.vertx.core.Handler<io.vertx.core.eventbus.DeliveryContext<Object>> actorStops = dc -> {
      String vm = PassThroughTargets.vmOf(dc.message().address());
      if (vm != null && dc.message().replyAddress() != null && !released.containsKey(vm)) {
        io.vertx.core.Future<Void> r = PassThroughTargets.release(vertx, vm);
        released.put(vm, r);
        r.onComplete(x -> consumers.get(vm).unregister());
      }
      dc.next();
    };
    vertx.eventBus().addOutboundInterceptor(actorStops);
    List<String> outcomes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String vm = "race" + i;
      io.vertx.core.eventbus.MessageConsumer<JsonObject> c = vertx.eventBus().localConsumer(
          Addresses.passThrough(vm), m -> {
            ran.add(vm);
            m.reply(new JsonObject().put("return", new JsonObject()));
          });
      consumers.put(vm, c);
      Await.result(c.completion());
      PassThroughTargets.mark(vertx, vm);
      io.vertx.core.Promise<Object> answered = io.vertx.core.Promise.promise();
      if (i % 2 == 0) {
        vertx.eventBus().request(Addresses.passThrough(vm), status(vm), admin()).onComplete(answered);
      } else {
        vertx.runOnContext(v -> vertx.eventBus().request(Addresses.passThrough(vm), status(vm), admin())
            .onComplete(answered));
      }
      Throwable failure = Await.result(answered.future().<Throwable>transform(ar ->
          io.vertx.core.Future.succeededFuture(ar.failed() ? ar.cause() : null)));
      assertThat(failure == null).as("answered ok exactly when the handler ran: " + failure)
          .isEqualTo(ran.contains(vm));
      if (failure != null) {
        assertThat(((ReplyException) failure).getMessage()).startsWith("Discarded the request");
      }
      Await.result(released.get(vm));
      List<JsonObject> records = file().stream().filter(e -> vm.equals(e.getString("vm"))).toList();
      assertThat(records).as("closed by the time the caller has its answer").extracting(e -> e.getString("outcome"))
          .containsExactly("pending", ran.contains(vm) ? "ok" : "undelivered");
      assertThat(records.get(1).getString("call")).isEqualTo(records.get(0).getString("call"));
      outcomes.add(records.get(1).getString("outcome"));
    }
    vertx.eventBus().removeOutboundInterceptor(actorStops);
    System.out.println("BusGateEarlyTest: outcomes of the race " + outcomes.stream().collect(
        java.util.stream.Collectors.groupingBy(o -> o, java.util.stream.Collectors.counting())));
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
