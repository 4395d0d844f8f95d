package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.audit.AuditLog;
import io.vmsup.supervisor.client.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A daemon process stopped (SIGTERM) while QMP pass-throughs wait for a SIGSTOPped QEMU, one over HTTP and one over
 * the SockJS bridge: each caller is answered before the daemon exits, 503 with {@code "effect": "unknown"} (the
 * command was sent; whether it took effect cannot be told), not a cut connection; and the audit log holds each call's
 * outcome {@code unknown} before the exit, so the next daemon has nothing left pending to close. The daemon's QMP
 * command timeout is an hour: the calls cannot end with a timeout before the stop.
 */
class PassThroughShutdownIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void callsInFlightAtShutdownAreAnsweredAndAuditedAsUnknown() throws Exception {
    DaemonProcess daemon = daemons.process(List.of("--command-timeout-seconds", "3600"));
    String url = daemon.url(); // the token file exists once the daemon listens
    String token = Files.readString(daemons.state().resolve("token")).trim();
    ApiClient api = new ApiClient(daemon.url(), token);
    assertThat(api.send("POST", "/v1/vms", TestSpecs.machineNone("k").encode()).status()).isEqualTo(201);
    ApiClient.Response started = api.send("POST", "/v1/vms/k/start", null);
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    long qemu = new JsonObject(started.body()).getLong("pid");
    daemons.killAfter(qemu);
    BridgeClient ws = Await.result(BridgeClient.connect(daemons.clientVertx().createWebSocketClient(), daemon.url(),
        token));
    signal("STOP", qemu);

    CompletableFuture<ApiClient.Response> http = CompletableFuture.supplyAsync(() -> {
      try {
        return api.send("POST", "/v1/vms/k/qmp", new JsonObject().put("execute", "query-status").encode());
      } catch (java.io.IOException cut) {
        throw new java.util.concurrent.CompletionException(cut);
      }
    });
    JsonObject httpPending = awaitRecord(r -> "pending".equals(r.getString("outcome"))
        && "http".equals(r.getString("transport")));
    var bridged = ws.request("vmsup.vm.qmp.k", new JsonObject().put("name", "k").put("execute", "query-status"), null);
    JsonObject wsPending = awaitRecord(r -> "pending".equals(r.getString("outcome"))
        && "sockjs".equals(r.getString("transport")));

    assertThat(daemon.terminate()).as(daemon.text()).isIn(0, 143);
    assertThat(daemon.text()).contains("vmsup: stopped").doesNotContain("stop did not complete cleanly");
    // the audit as the stopped daemon left it: each call closed, by the daemon that ran it
    for (JsonObject pending : List.of(httpPending, wsPending)) {
      assertThat(records()).filteredOn(r -> pending.getString("call").equals(r.getString("call")))
          .extracting(r -> r.getString("outcome") + " " + r.getValue("code")).containsExactly("pending null",
              "unknown 503");
    }
    ApiClient.Response answer = http.get(60, TimeUnit.SECONDS);
    assertThat(answer.status()).as(answer.body()).isEqualTo(503);
    assertThat(new JsonObject(answer.body()).getString("effect")).as(answer.body()).isEqualTo("unknown");
    assertThat(answer.body()).contains("whether it took effect is unknown");
    JsonObject frame = Await.result(bridged);
    assertThat(frame.getString("type")).as(frame.encode()).isEqualTo("err");
    assertThat(frame.getInteger("failureCode")).as(frame.encode()).isEqualTo(503);
    assertThat(new JsonObject(frame.getString("message")).getString("effect")).as(frame.encode()).isEqualTo("unknown");

    // the next daemon finds nothing pending: it closes no call as unknown
    signal("CONT", qemu);
    DaemonProcess again = daemons.process();
    ApiClient api2 = new ApiClient(again.url(), token);
    ApiClient.Response ok = api2.send("POST", "/v1/vms/k/qmp", new JsonObject().put("execute", "query-status")
        .encode());
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    awaitRecord(r -> "ok".equals(r.getString("outcome")));
    assertThat(records()).filteredOn(r -> "qmp".equals(r.getString("op"))).extracting(r -> r.getString("outcome"))
        .containsExactlyInAnyOrder("pending", "pending", "unknown", "unknown", "pending", "ok");
  }

  private List<JsonObject> records() throws Exception {
    Path file = AuditLog.file(daemons.state());
    if (!Files.exists(file)) {
      return List.of();
    }
    // a line the daemon is writing this instant may be read in part
    return Files.readAllLines(file).stream().filter(l -> l.endsWith("}")).map(JsonObject::new).toList();
  }

  // the daemon writes the file from another process: nothing to wait on but the file (a hang guard, not a limit)
  private JsonObject awaitRecord(Predicate<JsonObject> wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      Optional<JsonObject> found = records().stream().filter(r -> "qmp".equals(r.getString("op"))).filter(wanted)
          .findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      assertThat(System.nanoTime()).as("the audit record awaited; the log holds " + records()).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(5);
    }
  }

  private static void signal(String sig, long pid) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).inheritIO().start();
    assertThat(p.waitFor()).isZero();
  }
}
