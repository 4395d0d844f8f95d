package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.audit.AuditLog;
import io.vmsup.supervisor.client.ApiClient;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The QMP pass-through is handed over by the registry and answered by the VM's actor itself (issue 15): over HTTP and
 * the SockJS bridge the caller still gets the same answers (a reply, the caller's error, a VM that is not running, a
 * VM that does not exist), each audited with the outcome the caller got; the read token is still refused (at the
 * edge, audited as the HTTP request it was).
 */
class PassThroughHandOverIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void everyAnswerReachesTheCallerAndIsAuditedWithItsOutcome() throws Exception {
    DaemonFixture daemon = daemons.start();
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("h1"));
    daemon.ok("POST", "/v1/vms/h1/start", null);
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("h2"));

    JsonObject status = daemon.ok("POST", "/v1/vms/h1/qmp", new JsonObject().put("execute", "query-status"));
    assertThat(status.getJsonObject("return").getString("status")).isEqualTo("running");
    assertThat(send(daemon, "h1", "no-such-command").status()).isEqualTo(400);
    ApiClient.Response stopped = send(daemon, "h2", "query-status");
    assertThat(stopped.status()).as(stopped.body()).isEqualTo(409);
    ApiClient.Response missing = send(daemon, "nope", "query-status");
    assertThat(missing.status()).as(missing.body()).isEqualTo(404);
    assertThat(missing.body()).contains("no VM named 'nope'");
    ApiClient.Response reader = new ApiClient(daemon.daemon.url(), daemon.daemon.tokens().read().value())
        .send("POST", "/v1/vms/h1/qmp", new JsonObject().put("execute", "query-status").encode());
    assertThat(reader.status()).as(reader.body()).isEqualTo(403);

    BridgeClient bridge = Await.result(BridgeClient.connect(daemons.clientVertx().createWebSocketClient(),
        daemon.daemon.url(), daemon.daemon.tokens().admin().value()));
    JsonObject rec = Await.result(bridge.request(Addresses.QMP, new JsonObject().put("name", "h1")
        .put("execute", "query-status"), null));
    assertThat(rec.getString("type")).as(rec.encode()).isEqualTo("rec");
    assertThat(rec.getJsonObject("body").getJsonObject("return").getString("status")).isEqualTo("running");
    JsonObject err = Await.result(bridge.request(Addresses.QMP, new JsonObject().put("name", "nope")
        .put("execute", "query-status"), null));
    assertThat(err.getString("type")).as(err.encode()).isEqualTo("err");
    assertThat(err.getInteger("failureCode")).isEqualTo(404);

    List<JsonObject> qmp = audit(daemon).stream().filter(e -> "qmp".equals(e.getString("op"))
        && !"pending".equals(e.getString("outcome"))).toList();
    assertThat(qmp).extracting(e -> e.getString("transport") + " " + e.getString("scope") + " " + e.getString("vm")
        + " " + e.getString("outcome") + " " + e.getInteger("code")).containsExactly(
        "http admin h1 ok null", "http admin h1 failed 400", "http admin h2 failed 409",
        "http admin nope failed 404", "sockjs admin h1 ok null",
        "sockjs admin nope failed 404");
  }

  private static ApiClient.Response send(DaemonFixture daemon, String vm, String execute) throws Exception {
    return daemon.send("POST", "/v1/vms/" + vm + "/qmp", new JsonObject().put("execute", execute));
  }

  private List<JsonObject> audit(DaemonFixture daemon) throws Exception {
    Await.result(daemon.daemon.audit().flush());
    return Files.readAllLines(AuditLog.file(daemons.state())).stream().map(JsonObject::new).toList();
  }
}
