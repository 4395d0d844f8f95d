package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.client.ApiClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A QEMU re-attached from an earlier daemon process is not the daemon's child: its death is proven through the
 * {@code /proc} descriptor held open since adoption (ESRCH or a zombie) before it is CRASHED, and an automatic
 * restart then waits for its backoff. An operator's stop of the CRASHED VM inside that wait must cancel the restart.
 */
class ReattachedRestartIT {

  private static final Duration T = Duration.ofSeconds(30);

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();
  private DaemonProcess daemon;
  private Fixture f;

  @Test
  void aStopWhileTheRestartWaitsForTheOldProcessCancelsTheRestart() throws Exception {
    daemon = daemons.process();
    ApiClient api = new ApiClient(daemon.url(), Files.readString(daemons.state().resolve("token")).trim());
    JsonObject spec = TestSpecs.machineNone("c").put("supervision",
        new JsonObject().put("restart", "on-failure").put("backoffInitial", "3s"));
    assertThat(api.send("POST", "/v1/vms", spec.encode()).status()).isEqualTo(201);
    ApiClient.Response started = api.send("POST", "/v1/vms/c/start", "{}");
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    long pid = new JsonObject(started.body()).getLong("pid");
    daemon.terminate();

    f = daemons.closeAfter(Fixture.start(Fixture.options(daemons.state())));
    assertThat(f.request(Addresses.GET, Fixture.name("c")).getString("reason")).isEqualTo("reattached");
    ProcessHandle old = ProcessHandle.of(pid).orElseThrow();
    assertThat(old.parent().map(ProcessHandle::pid)).as("QEMU is not this JVM's child")
        .isNotEqualTo(java.util.Optional.of(ProcessHandle.current().pid()));
    old.destroyForcibly();
    f.awaitState("c", "CRASHED", T);
    JsonObject stopped = f.request(Addresses.STOP, Fixture.name("c"));
    assertThat(stopped.getString("state")).isEqualTo("STOPPED");
    old.onExit().get(T.toSeconds(), TimeUnit.SECONDS);

    // a wrong restart comes when the backoff ends, 3 s after the crash
    assertThatThrownBy(() -> f.awaitState("c", "STARTING", Duration.ofSeconds(5)))
        .as("a VM the operator stopped must not be restarted").isInstanceOf(AssertionError.class);
    assertThat(f.request(Addresses.GET, Fixture.name("c")).getString("state")).isEqualTo("STOPPED");
  }
}
