package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.audit.AuditLog;
import io.vmsup.supervisor.client.ApiClient;
import io.vmsup.supervisor.deploy.HostTools;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pass-through that QEMU received but never answered tells the truth, in its reply and in the audit: whether it took
 * effect is unknown ({@code "effect": "unknown"}, audit outcome {@code unknown}), not that it failed. Real QEMU
 * (machine none), SIGSTOPped: a command that times out, and one pending when QEMU is killed (its connection closes);
 * beside them a command QEMU never got (the VM killed by its operator, 409) is still {@code failed}.
 */
class PassThroughUnknownEffectIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void aCommandSentWithoutAnAnswerIsUnknownNotFailed() throws Exception {
    DaemonFixture daemon = daemons.start();
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("hang"));
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("dies"));
    long hang = daemon.ok("POST", "/v1/vms/hang/start", null).getLong("pid");
    long dies = daemon.ok("POST", "/v1/vms/dies/start", null).getLong("pid");
    daemons.killAfter(hang);
    daemons.killAfter(dies);
    signal("STOP", hang);
    signal("STOP", dies);
    try {
      // the daemon's command timeout runs out (5 s)
      ApiClient.Response timedOut = daemon.send("POST", "/v1/vms/hang/qmp", status());
      assertThat(timedOut.status()).as(timedOut.body()).isEqualTo(503);
      assertThat(new JsonObject(timedOut.body()).getString("effect")).isEqualTo("unknown");
      assertThat(timedOut.body()).contains("whether it took effect is unknown");

      // pending at QEMU when it is killed: the connection closes under it
      CompletableFuture<ApiClient.Response> pending = CompletableFuture.supplyAsync(() -> {
        try {
          return daemon.send("POST", "/v1/vms/dies/qmp", status());
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      awaitRecord(daemon, "dies", "pending");
      signal("KILL", dies);
      ApiClient.Response closed = pending.get(60, TimeUnit.SECONDS);
      assertThat(closed.status()).as(closed.body()).isEqualTo(503);
      assertThat(new JsonObject(closed.body()).getString("effect")).as(closed.body()).isEqualTo("unknown");
      assertThat(closed.body()).contains("whether it took effect is unknown");
    } finally {
      signal("CONT", hang);
    }
    // stopped by its operator: the command is never sent, and it failed
    daemon.ok("POST", "/v1/vms/hang/kill", null);
    ApiClient.Response notSent = daemon.send("POST", "/v1/vms/hang/qmp", status());
    assertThat(notSent.status()).as(notSent.body()).isEqualTo(409);
    assertThat(new JsonObject(notSent.body()).getValue("effect")).isNull();

    assertThat(outcomes(daemon, "hang")).containsExactly("pending", "unknown 503", "pending", "failed 409");
    assertThat(outcomes(daemon, "dies")).containsExactly("pending", "unknown 503");
  }

  private static JsonObject status() {
    return new JsonObject().put("execute", "query-status");
  }

  private void awaitRecord(DaemonFixture daemon, String vm, String outcome) throws Exception {
    for (int i = 0; i < 6000; i++) { // a hang guard: 60 s
      if (outcomes(daemon, vm).contains(outcome)) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    throw new AssertionError("no " + outcome + " record of " + vm);
  }

  private List<String> outcomes(DaemonFixture daemon, String vm) throws Exception {
    Await.result(daemon.daemon.audit().flush());
    return Files.readAllLines(AuditLog.file(daemons.state())).stream().map(JsonObject::new)
        .filter(r -> "qmp".equals(r.getString("op")) && vm.equals(r.getString("vm")))
        .map(r -> r.getString("outcome") + (r.getValue("code") == null ? "" : " " + r.getValue("code"))).toList();
  }

  private void signal(String sig, long pid) throws Exception {
    HostTools.Run r = HostTools.run(daemons.state(), List.of("kill", "-" + sig, Long.toString(pid)));
    assertThat(r.exit()).as(r.output()).isZero();
  }
}
