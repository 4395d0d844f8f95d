package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.Scope;
import io.vmsup.supervisor.audit.AuditLog;
import io.vmsup.supervisor.bridge.TcpBridgeSettings;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real QEMU ({@code -machine none}), an in-process daemon with both bridges: a VM's own public pass-through address
 * ({@code vmsup.vm.qmp.NAME}) answers in-process, SockJS and TCP callers as {@code vmsup.vm.qmp} does, with the same
 * scope rule (the read token is refused 403) and one audit record per call as {@code qmp} of its VM; hostile bodies
 * (not an object, no name, another VM's name, a name that is no string) are refused 400 and never reach QEMU; a VM
 * without an actor here has no handler; calls around a delete are answered at once (409, 404, or no handler), never
 * left to time out.
 */
class PassThroughAddressIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void everyTransportGetsTheSameAnswersScopeAndAudit() throws Exception {
    DaemonFixture daemon = daemons.start(DaemonFixture.config(daemons.state()).toBuilder()
        .tcpBridge(TcpBridgeSettings.off().onPort(0)).build());
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("p1"));
    daemon.ok("POST", "/v1/vms/p1/start", null);
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("p2"));
    EventBus bus = daemon.daemon.vertx().eventBus();
    JsonObject status = new JsonObject().put("name", "p1").put("execute", "query-status");

    JsonObject in = Await.result(bus.<JsonObject>request(Addresses.passThrough("p1"), status)).body();
    assertThat(in.getJsonObject("return").getString("status")).isEqualTo("running");
    assertThat(code(bus, Addresses.passThrough("p2"), new JsonObject().put("name", "p2")
        .put("execute", "query-status"), null)).isEqualTo(409);
    assertThat(code(bus, Addresses.passThrough("p1"), status, Scope.READ.json())).isEqualTo(403);
    ReplyException none = (ReplyException) Await.failure(bus.request(Addresses.passThrough("nope"),
        new JsonObject().put("name", "nope").put("execute", "query-status")));
    assertThat(none.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);

    BridgeClient sockJs = Await.result(BridgeClient.connect(daemons.clientVertx().createWebSocketClient(),
        daemon.daemon.url(), daemon.daemon.tokens().admin().value()));
    JsonObject rec = Await.result(sockJs.request(Addresses.passThrough("p1"), status, null));
    assertThat(rec.getJsonObject("body").getJsonObject("return").getString("status")).as(rec.encode())
        .isEqualTo("running");
    BridgeClient reader = Await.result(BridgeClient.connect(daemons.clientVertx().createWebSocketClient(),
        daemon.daemon.url(), daemon.daemon.tokens().read().value()));
    JsonObject refused = Await.result(reader.request(Addresses.passThrough("p1"), status, null));
    assertThat(refused.getInteger("failureCode")).as(refused.encode()).isEqualTo(403);

    try (TcpFrames tcp = new TcpFrames(daemon.daemon.tcpBridgePort().orElseThrow())) {
      JsonObject ok = tcp.request(Addresses.passThrough("p1"), status, daemon.daemon.tokens().admin().value());
      assertThat(ok.getJsonObject("body").getJsonObject("return").getString("status")).as(ok.encode())
          .isEqualTo("running");
      JsonObject read = tcp.request(Addresses.passThrough("p1"), status, daemon.daemon.tokens().read().value());
      assertThat(read.getInteger("failureCode")).as(read.encode()).isEqualTo(403);
    }

    assertThat(qmpAudit(daemon)).containsExactly("in-process internal p1 ok null",
        "in-process internal p2 failed 409", "in-process read p1 forbidden 403", "sockjs admin p1 ok null",
        "sockjs read p1 forbidden 403", "tcp admin p1 ok null", "tcp read p1 forbidden 403");
  }

  @Test
  void hostileBodiesAreRefusedAndNeverReachQemu() throws Exception {
    DaemonFixture daemon = daemons.start(DaemonFixture.config(daemons.state()).toBuilder()
        .tcpBridge(TcpBridgeSettings.off().onPort(0)).build());
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("p1"));
    daemon.ok("POST", "/v1/vms/p1/start", null);
    EventBus bus = daemon.daemon.vertx().eventBus();
    String address = Addresses.passThrough("p1");
    // a stop that ran would pause the VM: each of these must be refused before QEMU sees it
    for (Object body : List.of("p1", 42, new JsonArray().add("p1"), new JsonObject().put("execute", "stop"),
        new JsonObject().put("name", "p2").put("execute", "stop"), new JsonObject().put("name", 1).put("execute", "stop"),
        new JsonObject().put("name", new JsonObject().put("name", "p1")).put("execute", "stop"),
        new JsonObject().put("name", "P1").put("execute", "stop"), new JsonObject().put("name", "p1 ").put("execute", "stop"))) {
      assertThat(code(bus, address, body, null)).as("%s", body).isEqualTo(400);
    }
    try (TcpFrames tcp = new TcpFrames(daemon.daemon.tcpBridgePort().orElseThrow())) {
      for (Object body : List.of("p1", new JsonArray(), new JsonObject().put("name", "p2").put("execute", "stop"))) {
        tcp.write(new JsonObject().put("type", "send").put("address", address).put("replyAddress", "t-1")
            .put("headers", new JsonObject().put("authorization", "Bearer " + daemon.daemon.tokens().admin().value()))
            .put("body", body));
        JsonObject err = tcp.read();
        assertThat(err.getInteger("failureCode")).as("%s: %s", body, err.encode()).isEqualTo(400);
      }
    }
    assertThat(daemon.ok("GET", "/v1/vms/p1", null).getString("state")).isEqualTo("RUNNING");
    JsonObject status = Await.result(bus.<JsonObject>request(address, new JsonObject().put("name", "p1")
        .put("execute", "query-status"))).body();
    assertThat(status.getJsonObject("return").getString("status")).isEqualTo("running");
  }

  @Test
  void callsAroundADeleteAreAnsweredAtOnce() throws Exception {
    DaemonFixture daemon = daemons.start();
    EventBus bus = daemon.daemon.vertx().eventBus();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      for (int round = 1; round <= 3; round++) {
        String name = "r" + round;
        daemon.ok("POST", "/v1/vms", TestSpecs.machineNone(name));
        JsonObject status = new JsonObject().put("name", name).put("execute", "query-status");
        List<Future<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          calls.add(pool.submit(() -> outcome(bus, Addresses.passThrough(name), status)));
          if (i == 10) {
            calls.add(pool.submit(() -> (Object) daemon.api.send("DELETE", "/v1/vms/" + name, null).status()));
          }
        }
        for (int i = 0; i < calls.size(); i++) {
          Object r = calls.get(i).get();
          if (i == 11) {
            assertThat(r).as("the delete").isEqualTo(204);
          } else {
            assertThat(r).as("round %d call %d", round, i).isIn(409, 404, "no handlers", "discarded");
          }
        }
        assertThat(outcome(bus, Addresses.passThrough(name), status)).isEqualTo("no handlers");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A call's answer: its failure code, "no handlers", or "discarded" (the consumer went while it was on its way). */
  private static Object outcome(EventBus bus, String address, JsonObject body) throws Exception {
    // a hang guard only: every answer here comes at once
    Throwable t = Await.failure(bus.request(address, body, new DeliveryOptions().setSendTimeout(60_000)));
    ReplyException r = (ReplyException) t;
    if (r.failureType() == ReplyFailure.NO_HANDLERS) {
      return "no handlers";
    }
    if (r.failureType() == ReplyFailure.TIMEOUT) {
      return r.getMessage() != null && r.getMessage().startsWith("Discarded") ? "discarded" : "timed out";
    }
    return r.failureCode();
  }

  private static int code(EventBus bus, String address, Object body, String scope) {
    DeliveryOptions options = new DeliveryOptions();
    if (scope != null) {
      options.addHeader(Scope.HEADER, scope);
    }
    return ((ReplyException) Await.failure(bus.request(address, body, options))).failureCode();
  }

  private List<String> qmpAudit(DaemonFixture daemon) throws Exception {
    Await.result(daemon.daemon.audit().flush());
    return Files.readAllLines(AuditLog.file(daemons.state())).stream().map(JsonObject::new)
        .filter(e -> "qmp".equals(e.getString("op")) && !"pending".equals(e.getString("outcome")))
        .map(e -> e.getString("transport") + " " + e.getString("scope") + " " + e.getString("vm") + " "
            + e.getString("outcome") + " " + e.getInteger("code")).toList();
  }
}
