package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.audit.AuditLog;
import io.vmsup.supervisor.client.ApiClient;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real QEMU ({@code -machine none}), an in-process daemon: over HTTP the pass-through of a VM on this host is delivered
 * to the VM's own address ({@code vmsup.vm.qmp.NAME}, its actor) and never to the registry's {@code
 * vmsup.vm.qmp}; a name without an actor goes to the registry, which answers 404; each call is audited once, as {@code
 * qmp} of its VM, with the outcome the caller got; calls around a delete are 409 or 404, never a timeout or 5xx.
 */
class PassThroughDirectIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void theEdgeReachesTheActorWithoutTheRegistryAndAnUnknownVmIsTheRegistrys404() throws Exception {
    DaemonFixture daemon = daemons.start();
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("d1"));
    daemon.ok("POST", "/v1/vms/d1/start", null);
    Queue<String> delivered = watch(daemon);

    JsonObject status = daemon.ok("POST", "/v1/vms/d1/qmp", new JsonObject().put("execute", "query-status"));
    assertThat(status.getJsonObject("return").getString("status")).isEqualTo("running");
    assertThat(delivered).containsExactly(Addresses.passThrough("d1"));
    delivered.clear();
    // a percent-escaped name goes through the path route, which decodes it: the same VM
    JsonObject escaped = daemon.ok("POST", "/v1/vms/d%31/qmp", new JsonObject().put("execute", "query-status"));
    assertThat(escaped.getJsonObject("return").getString("status")).isEqualTo("running");
    assertThat(delivered).containsExactly(Addresses.passThrough("d1"));
    delivered.clear();

    ApiClient.Response missing = daemon.send("POST", "/v1/vms/nope/qmp", new JsonObject().put("execute", "x"));
    assertThat(missing.status()).as(missing.body()).isEqualTo(404);
    assertThat(missing.body()).contains("no VM named 'nope'");
    assertThat(delivered).containsExactly(Addresses.QMP);

    // the address names its VM: a request there naming another VM is refused, not run on this one
    ReplyException other = (ReplyException) Await.failure(daemon.daemon.vertx().eventBus().request(Addresses.passThrough("d1"),
        new JsonObject().put("name", "d2").put("execute", "query-status")));
    assertThat(other.failureCode()).isEqualTo(400);

    List<JsonObject> qmp = audit(daemon).stream().filter(e -> "qmp".equals(e.getString("op"))
        && !"pending".equals(e.getString("outcome"))).toList();
    assertThat(qmp).extracting(e -> e.getString("transport") + " " + e.getString("vm") + " "
        + e.getString("outcome") + " " + e.getInteger("code")).containsExactly(
        "http d1 ok null", "http d1 ok null", "http nope failed 404", "in-process d2 failed 400");
  }

  @Test
  void callsAroundAnHttpDeleteAreAnswered409Or404() throws Exception {
    DaemonFixture daemon = daemons.start();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      for (int round = 1; round <= 3; round++) {
        String name = "r" + round;
        daemon.ok("POST", "/v1/vms", TestSpecs.machineNone(name));
        List<Future<ApiClient.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          calls.add(pool.submit(() -> daemon.api.send("POST", "/v1/vms/" + name + "/qmp",
              "{\"execute\":\"query-status\"}")));
          if (i == 10) {
            calls.add(pool.submit(() -> daemon.api.send("DELETE", "/v1/vms/" + name, null)));
          }
        }
        for (int i = 0; i < calls.size(); i++) {
          ApiClient.Response r = calls.get(i).get();
          if (i == 11) {
            assertThat(r.status()).as("the delete: %s", r.body()).isEqualTo(204);
          } else {
            assertThat(r.status()).as("round %d call %d: %s", round, i, r.body()).isIn(409, 404);
          }
        }
        ApiClient.Response after = daemon.send("POST", "/v1/vms/" + name + "/qmp",
            new JsonObject().put("execute", "query-status"));
        assertThat(after.status()).isEqualTo(404);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The addresses of pass-through requests as they are delivered to a consumer, from now on. */
  private static Queue<String> watch(DaemonFixture daemon) {
    Queue<String> seen = new ConcurrentLinkedQueue<>();
    Handler<DeliveryContext<Object>> interceptor = dc -> {
      String a = dc.message().address();
      if (Addresses.QMP.equals(a) || a.startsWith(Addresses.passThrough(""))) {
        seen.add(a);
      }
      dc.next();
    };
    daemon.daemon.vertx().eventBus().addInboundInterceptor(interceptor);
    return seen;
  }

  private List<JsonObject> audit(DaemonFixture daemon) throws Exception {
    Await.result(daemon.daemon.audit().flush());
    return Files.readAllLines(AuditLog.file(daemons.state())).stream().map(JsonObject::new).toList();
  }
}
