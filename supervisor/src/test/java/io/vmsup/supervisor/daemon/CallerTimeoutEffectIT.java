package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.client.ApiClient;
import io.vmsup.supervisor.deploy.HostTools;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attack (attack8): a caller that gives up before the daemon's own QMP timeout (a daemon configured with a command
 * timeout longer than the caller's wait, allowed up to an hour) has had its command sent to QEMU. The failure it gets
 * must not read as "never sent" (a 503 without {@code effect}): whether it took effect is unknown. Real QEMU ({@code
 * -machine none}), SIGSTOPped so it never answers; the Java caller's bus timeout and the HTTP edge's 60 s.
 */
class CallerTimeoutEffectIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void aCallerThatGaveUpOnASentCommandIsToldItsEffectIsUnknown() throws Exception {
    DaemonFixture daemon = daemons.start(DaemonFixture.config(daemons.state()).toBuilder()
        .commandTimeout(Duration.ofSeconds(600)).build());
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("slow"));
    long pid = daemon.ok("POST", "/v1/vms/slow/start", null).getLong("pid");
    daemons.killAfter(pid);
    signal("STOP", pid);
    try {
      // the HTTP edge waits 60 s for the bus: asked first, answered while the bus callers below wait their turn
      CompletableFuture<ApiClient.Response> http = CompletableFuture.supplyAsync(() -> {
        try {
          return daemon.send("POST", "/v1/vms/slow/qmp", new JsonObject().put("execute", "query-status"));
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      });
      JsonObject status = new JsonObject().put("name", "slow").put("execute", "query-status");
      for (String address : List.of(Addresses.QMP, Addresses.passThrough("slow"))) {
        Throwable t = Await.failure(daemon.daemon.vertx().eventBus().request(address, status,
            new DeliveryOptions().setSendTimeout(2_000)));
        assertThat(((ReplyException) t).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
        VmException e = VmException.fromReply((ReplyException) t);
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.details().getString("effect")).as("%s: %s", address, e.getMessage()).isEqualTo("unknown");
        assertThat(e.getMessage()).contains("whether it took effect is unknown");
      }
      ApiClient.Response r = http.get(5, TimeUnit.MINUTES); // a hang guard only
      assertThat(r.status()).as(r.body()).isEqualTo(503);
      assertThat(new JsonObject(r.body()).getString("effect")).as(r.body()).isEqualTo("unknown");
    } finally {
      signal("CONT", pid);
    }
    // a request never read (no handler) was never run: no effect claimed
    Throwable none = Await.failure(daemon.daemon.vertx().eventBus().request(Addresses.passThrough("nope"),
        new JsonObject().put("name", "nope").put("execute", "query-status")));
    assertThat(VmException.fromReply((ReplyException) none).details().getValue("effect")).isNull();
  }

  private void signal(String sig, long pid) throws Exception {
    HostTools.Run r = HostTools.run(daemons.state(), List.of("kill", "-" + sig, Long.toString(pid)));
    assertThat(r.exit()).as(r.output()).isZero();
  }
}
