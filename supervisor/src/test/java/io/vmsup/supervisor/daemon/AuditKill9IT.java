package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.audit.AuditLog;
import io.vmsup.supervisor.client.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kill -9} of the daemon process while a QMP pass-through waits for QEMU (SIGSTOPped, so its reply cannot
 * come): the audit log already holds the call as {@code pending} (written before the request reached the VM), and
 * the next daemon closes that very call as {@code unknown}; the VM, adopted again, then answers and is audited with
 * its outcome. The daemon's QMP command timeout is an hour: however slow the machine is between the pending record and
 * the kill, the call cannot end with a 503 first (with the default 5 s it did at high load).
 */
class AuditKill9IT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void aCallInFlightWhenTheDaemonIsKilledIsAuditedAsPendingThenClosedAsUnknown() throws Exception {
    DaemonProcess daemon = daemons.process(List.of("--command-timeout-seconds", "3600"));
    ApiClient api = api(daemon);
    ok(api.send("POST", "/v1/vms", TestSpecs.machineNone("k").encode()), 201);
    ok(api.send("POST", "/v1/vms/k/start", null), 200);
    long qemu = new JsonObject(api.send("GET", "/v1/vms/k", null).body()).getLong("pid");
    daemons.killAfter(qemu);
    signal("STOP", qemu);

    CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> {
      try {
        return api.send("POST", "/v1/vms/k/qmp", new JsonObject().put("execute", "query-status").encode());
      } catch (java.io.IOException daemonKilled) {
        return daemonKilled;
      }
    });
    JsonObject pending = awaitRecord(r -> "qmp".equals(r.getString("op")) && "pending".equals(r.getString("outcome")));
    daemon.process.destroyForcibly(); // SIGKILL, while QEMU cannot answer
    assertThat(daemon.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(call.get(60, TimeUnit.SECONDS)).as("no reply came").isInstanceOf(java.io.IOException.class);

    String id = pending.getString("call");
    assertThat(pending.getString("vm")).isEqualTo("k");
    assertThat(pending.getString("transport")).isEqualTo("http");
    assertThat(pending.getString("scope")).isEqualTo("admin");
    assertThat(records()).as("nothing but the pending record of the call, before the restart")
        .filteredOn(r -> id.equals(r.getString("call"))).singleElement();

    signal("CONT", qemu);
    DaemonProcess again = daemons.process();
    ApiClient api2 = api(again);
    JsonObject unknown = awaitRecord(r -> id.equals(r.getString("call")) && "unknown".equals(r.getString("outcome")));
    assertThat(unknown.getString("op")).isEqualTo("qmp");
    assertThat(unknown.getString("vm")).isEqualTo("k");
    assertThat(unknown.getString("message")).contains("whether it took effect is unknown");
    ok(api2.send("POST", "/v1/vms/k/qmp", new JsonObject().put("execute", "query-status").encode()), 200);
    JsonObject after = awaitRecord(r -> "qmp".equals(r.getString("op")) && "ok".equals(r.getString("outcome")));
    assertThat(after.getString("call")).isNotEqualTo(id);
    assertThat(records()).filteredOn(r -> after.getString("call").equals(r.getString("call")))
        .extracting(r -> r.getString("outcome")).containsExactly("pending", "ok");
  }

  private List<JsonObject> records() throws Exception {
    Path file = AuditLog.file(daemons.state());
    if (!Files.exists(file)) {
      return List.of();
    }
    // a line the daemon is writing this instant may be read in part
    return Files.readAllLines(file).stream().filter(l -> l.endsWith("}")).map(JsonObject::new).toList();
  }

  // the daemon writes the file from another process: nothing to wait on but the file
  private JsonObject awaitRecord(java.util.function.Predicate<JsonObject> wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      Optional<JsonObject> found = records().stream().filter(wanted).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      assertThat(System.nanoTime()).as("the audit record awaited; the log holds " + records()).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(5);
    }
  }

  private ApiClient api(DaemonProcess d) throws Exception {
    return new ApiClient(d.url(), Files.readString(daemons.state().resolve("token")).trim());
  }

  private static void ok(ApiClient.Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
  }

  private static void signal(String sig, long pid) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).inheritIO().start();
    assertThat(p.waitFor()).isZero();
  }
}
