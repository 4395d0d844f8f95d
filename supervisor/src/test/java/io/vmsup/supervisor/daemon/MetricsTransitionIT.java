package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.client.ApiClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Metrics that alert on time: {@code vmsup_vm_state} and {@code vmsup_vm_up} move at the transition (the sampler
 * here runs once an hour, so only the state events can move them); no NaN series; and the series leak of issue 16
 * in its exact sequence (create, start, kill -9 the daemon, restart it, kill -9 QEMU, kill, delete): nothing of the
 * VM is left.
 */
class MetricsTransitionIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private static PrometheusText scrape(DaemonFixture daemon) throws Exception {
    ApiClient.Response r = daemon.api.send("GET", "/metrics", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).doesNotContain("NaN");
    return new PrometheusText(r.body());
  }

  /** Resolves once the VM is in {@code state}: subscribed first, then the current state read (no race). */
  private static void awaitState(DaemonFixture daemon, String vm, String state) throws Exception {
    CompletableFuture<Void> reached = new CompletableFuture<>();
    MessageConsumer<JsonObject> c = daemon.daemon.vertx().eventBus().<JsonObject>consumer(Addresses.events(vm),
        m -> {
          if (state.equals(m.body().getString("to"))) {
            reached.complete(null);
          }
        });
    try {
      io.vmsup.qmp.testing.Await.result(c.completion());
      if (state.equals(daemon.ok("GET", "/v1/vms/" + vm, null).getString("state"))) {
        return;
      }
      reached.get(60, TimeUnit.SECONDS);
    } finally {
      c.unregister();
    }
  }

  @Test
  void stateAndUpMoveWithTheEventsNotTheSampler() throws Exception {
    DaemonConfig c = DaemonFixture.config(daemons.state());
    DaemonFixture daemon = daemons.start(c.toBuilder().metricsInterval(Duration.ofHours(1)).build());
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("ev1"));
    String vm = "vm=\"ev1\"";
    daemon.ok("POST", "/v1/vms/ev1/start", null);
    awaitValue(daemon, "vmsup_vm_state", 1.0, vm, "state=\"RUNNING\"");
    assertThat(scrape(daemon).value("vmsup_vm_up", vm)).hasValue(1.0);

    daemon.ok("POST", "/v1/vms/ev1/pause", null);
    awaitValue(daemon, "vmsup_vm_state", 1.0, vm, "state=\"PAUSED\"");
    assertThat(scrape(daemon).value("vmsup_vm_state", vm, "state=\"RUNNING\"")).hasValue(0.0);

    daemon.ok("POST", "/v1/vms/ev1/kill", null);
    awaitValue(daemon, "vmsup_vm_state", 1.0, vm, "state=\"STOPPED\"");
    PrometheusText stopped = scrape(daemon);
    assertThat(stopped.value("vmsup_vm_up", vm)).hasValue(0.0);
    // figures that do not exist without a process are absent, not NaN or 0
    assertThat(stopped.samples("vmsup_vm_memory_rss_bytes", vm)).isEmpty();
    assertThat(stopped.samples("vmsup_vm_start_time_seconds", vm)).isEmpty();
    assertThat(stopped.samples("vmsup_vm_cpu_seconds_total", vm)).isEmpty();
  }

  /** The event reaches the collector on its own context: a scrape right after the reply may precede it by a hair. */
  private static void awaitValue(DaemonFixture daemon, String metric, double want, String... labels)
      throws Exception {
    for (int i = 0; i < 200; i++) {
      if (scrape(daemon).value(metric, labels).orElse(-1) == want) {
        return;
      }
      // one more request round trip lets the collector's context run the queued event
      daemon.ok("GET", "/health", null);
    }
    throw new AssertionError(metric + " never became " + want + " for " + String.join(",", labels));
  }

  private static void awaitGone(DaemonFixture daemon, String vm) throws Exception {
    PrometheusText last = null;
    for (int i = 0; i < 2000; i++) {
      last = scrape(daemon);
      if (!last.mentions(vm)) {
        return;
      }
      daemon.ok("GET", "/v1/vms", null);
    }
    throw new AssertionError("series of the deleted VM stay: " + last.text().lines().filter(l -> l.contains(vm))
        .toList());
  }

  @Test
  void noSeriesOfADeletedVmAfterADaemonRestartAndAQemuCrash() throws Exception {
    DaemonProcess first = daemons.process();
    ApiClient api = new ApiClient(first.url(),
        java.nio.file.Files.readString(daemons.state().resolve("token")).trim());
    assertThat(api.send("POST", "/v1/vms", TestSpecs.machineNone("leak").encode()).status()).isEqualTo(201);
    assertThat(api.send("POST", "/v1/vms/leak/start", "{}").status()).isEqualTo(200);
    first.process.destroyForcibly();
    first.process.waitFor(60, TimeUnit.SECONDS);

    DaemonFixture second = daemons.start();
    JsonObject view = second.ok("GET", "/v1/vms/leak", null);
    assertThat(view.getString("reason")).isEqualTo("reattached");
    String vm = "vm=\"leak\"";
    awaitValue(second, "vmsup_vm_up", 1.0, vm);
    ProcessHandle qemu = ProcessHandle.of(view.getLong("pid")).orElseThrow();
    qemu.destroyForcibly();
    awaitState(second, "leak", "CRASHED");
    second.send("POST", "/v1/vms/leak/kill", null);
    assertThat(second.send("DELETE", "/v1/vms/leak", null).status()).isEqualTo(204);
    // the collector notices a deletion at its next listing (there is no deletion event): wait for that
    awaitGone(second, vm);
    // late QMP results of the dead QEMU, or a sample begun before the delete, must not bring series back: a later
    // VM's start makes the collector list the VMs again, and the deleted one stays without series
    second.ok("POST", "/v1/vms", TestSpecs.machineNone("probe"));
    second.ok("POST", "/v1/vms/probe/start", null);
    awaitValue(second, "vmsup_vm_up", 1.0, "vm=\"probe\"");
    PrometheusText after = scrape(second);
    assertThat(after.mentions(vm)).as("series of the deleted VM: " + after.text().lines()
        .filter(l -> l.contains(vm)).toList()).isFalse();
  }
}
