package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.bench.QmpCut;
import io.vmsup.supervisor.client.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SO_PEERCRED on the daemon's QMP connections, with real QEMUs (as root: each under a uid of its own): a link to VM
 * b's QMP socket planted at VM a's {@code qmp.sock} (what a compromised QEMU a could do in its own directory) is
 * refused when the daemon reconnects and when a restarted daemon re-attaches; a is reported, b is untouched.
 */
class QmpPeerCredIT {

  private static final Duration T = Duration.ofSeconds(60);

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void aLinkToAnotherVmsSocketIsRefusedAtReconnect() throws Exception {
    DaemonFixture d = daemons.start();
    d.ok("POST", "/v1/vms", Fixture.spec("a", new JsonObject().put("restart", "always")
        .put("backoffInitial", "20ms")));
    d.ok("POST", "/v1/vms", Fixture.spec("b"));
    long a = d.ok("POST", "/v1/vms/a/start", null).getLong("pid");
    long b = d.ok("POST", "/v1/vms/b/start", null).getLong("pid");
    Path aSocket = QmpCut.socketOf(daemons.state(), "a");
    plantLink(aSocket, QmpCut.socketOf(daemons.state(), "b"));

    assertThat(QmpCut.cut(aSocket)).as("the daemon's connection to a").hasSize(1);
    Await.until("a CRASHED", () -> "CRASHED".equals(d.ok("GET", "/v1/vms/a", null).getString("state")), T);

    JsonObject va = d.ok("GET", "/v1/vms/a", null);
    assertThat(va.getString("reason")).isEqualTo("qmp-wrong-peer");
    Await.until("a's QEMU killed", () -> ProcessHandle.of(a).map(p -> !p.isAlive()).orElse(true), T);
    assertBUntouched(new ApiClient(d.daemon.url(), d.daemon.token().value()), b);
    Await.result(d.daemon.audit().flush(), T);
    assertAudited(a, b);
    String uid = Files.readString(daemons.state().resolve("vms/a/uid")).trim();
    assertThat(audit()).anySatisfy(l -> assertThat(l).contains("expected pid " + a + " uid " + uid));
    assertThat(d.ok("GET", "/v1/vms/a", null).getInteger("restarts")).as("not restarted by its policy").isZero();

    // an operator's start gets a fresh QEMU, which binds its own socket in place of the link
    long again = d.ok("POST", "/v1/vms/a/start", null).getLong("pid");
    assertThat(d.ok("POST", "/v1/vms/a/qmp", new JsonObject().put("execute", "query-status"))
        .getJsonObject("return").getString("status")).isEqualTo("running");
    assertThat(again).isNotIn(a, b);
  }

  @Test
  void aLinkPlantedWhileTheDaemonIsDownIsRefusedAtReattach() throws Exception {
    DaemonProcess first = daemons.process();
    ApiClient api = api(first);
    ok(api.send("POST", "/v1/vms", Fixture.spec("a").encode()));
    ok(api.send("POST", "/v1/vms", Fixture.spec("b").encode()));
    long a = new JsonObject(ok(api.send("POST", "/v1/vms/a/start", null))).getLong("pid");
    long b = new JsonObject(ok(api.send("POST", "/v1/vms/b/start", null))).getLong("pid");
    daemons.killAfter(a);
    daemons.killAfter(b);
    first.process.destroyForcibly(); // kill -9: the QEMUs stay
    assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    plantLink(QmpCut.socketOf(daemons.state(), "a"), QmpCut.socketOf(daemons.state(), "b"));

    ApiClient api2 = api(daemons.process());
    JsonObject va = new JsonObject(ok(api2.send("GET", "/v1/vms/a", null)));
    assertThat(va.getString("state")).isEqualTo("FAILED");
    assertThat(va.getString("reason")).isEqualTo("qmp-wrong-peer");
    assertThat(ProcessHandle.of(a).map(ProcessHandle::isAlive)).as("left running, as a failed re-attach is")
        .contains(true);
    assertBUntouched(api2, b);
    Await.until("the refusal audited", () -> audit().stream().anyMatch(l -> l.contains("\"vm\":\"a\"")), T);
    assertAudited(a, b);

    // an operator's start first kills the hidden QEMU (ours by its nonce), never runs a second one beside it
    long again = new JsonObject(ok(api2.send("POST", "/v1/vms/a/start", null))).getLong("pid");
    Await.until("a's hidden QEMU gone (reaped by init)", () -> ProcessHandle.of(a).map(p -> !p.isAlive())
        .orElse(true), T);
    assertThat(again).isNotIn(a, b);
    assertThat(new JsonObject(ok(api2.send("POST", "/v1/vms/a/qmp", new JsonObject().put("execute", "query-status")
        .encode()))).getJsonObject("return").getString("status")).isEqualTo("running");
  }

  private static void plantLink(Path at, Path target) throws Exception {
    Files.delete(at);
    Files.createSymbolicLink(at, target);
  }

  private static void assertBUntouched(ApiClient api, long b) throws Exception {
    JsonObject vb = new JsonObject(ok(api.send("GET", "/v1/vms/b", null)));
    assertThat(vb.getString("state")).isEqualTo("RUNNING");
    assertThat(vb.getLong("pid")).isEqualTo(b);
    JsonObject status = new JsonObject(ok(api.send("POST", "/v1/vms/b/qmp",
        new JsonObject().put("execute", "query-status").encode())));
    assertThat(status.getJsonObject("return").getString("status")).isEqualTo("running");
  }

  private void assertAudited(long a, long b) throws Exception {
    List<JsonObject> refused = audit().stream().map(JsonObject::new)
        .filter(e -> "qmp.connect".equals(e.getString("op"))).toList();
    assertThat(refused).hasSize(1);
    JsonObject e = refused.get(0);
    assertThat(e.getString("vm")).isEqualTo("a");
    assertThat(e.getString("outcome")).isEqualTo("refused");
    assertThat(e.getString("scope")).isEqualTo("daemon");
    assertThat(e.getString("message")).startsWith("pid " + a + ": ").contains("served by pid " + b + " ")
        .contains("expected pid " + a);
  }

  private List<String> audit() throws Exception {
    return Files.readAllLines(daemons.state().resolve("audit/audit.log"));
  }

  private ApiClient api(DaemonProcess d) throws Exception {
    return new ApiClient(d.url(), Files.readString(daemons.state().resolve("token")).trim());
  }

  private static String ok(ApiClient.Response r) {
    assertThat(r.ok()).as(r.status() + " " + r.body()).isTrue();
    return r.body();
  }
}
