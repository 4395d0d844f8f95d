package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.http.EdgeLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The event-bus bridge bounds what it queues for one socket ({@code bridgeBufferBytes}): a client that stops reading
 * is closed by the daemon once more than that is queued for it, while a client that reads gets every event, in order.
 */
class BridgeBufferIT {

  private static final int LIMIT = 64 * 1024;
  private static final int EVENT = 16 * 1024;
  /** The paused client's kernel receive buffer, fixed so the kernel cannot absorb the backlog by autotuning. */
  private static final int CLIENT_RCVBUF = 32 * 1024;

  /** A per-VM events address: the bridge lets it out like {@code vmsup.events}, but the daemon's event log does not
   * write every (16 KiB) event to the test output. */
  private static final String ADDRESS = "vmsup.events.bufprobe";

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void aSocketThatStopsReadingIsClosedAndAReadingOneGetsEverything() throws Exception {
    EdgeLimits d = EdgeLimits.defaults();
    DaemonFixture daemon = daemons.start(DaemonFixture.config(daemons.state()).withLimits(new EdgeLimits(
        d.headerTimeout(), d.idleTimeout(), d.maxUnauthenticated(), d.maxUnauthenticatedPerAddress(),
        d.maxAuthenticated(), d.mutatingPerSecond(), d.mutatingBurst(), LIMIT)));
    String url = daemon.daemon.url();
    String token = daemon.daemon.token().value();
    BridgeClient reader = Await.result(BridgeClient.connect(
        daemons.clientVertx().createWebSocketClient(), url, token));
    BridgeClient stalled = Await.result(BridgeClient.connect(daemons.clientVertx().createWebSocketClient(
        new WebSocketClientOptions().setReceiveBufferSize(CLIENT_RCVBUF)), url, token));
    for (BridgeClient c : List.of(reader, stalled)) {
      Await.result(c.register(ADDRESS, null));
      // the registration is confirmed by nothing: a request answered after it shows the bridge has handled it
      Await.result(c.request("vmsup.vm.list", new JsonObject(), null));
    }
    stalled.pause();

    // more than the kernel can hold in flight (the daemon's send buffer at most, the client's fixed receive
    // buffer) plus the limit, twice over: the daemon's queue for the stalled socket must pass the limit
    int events = (int) (2 * (maxSendBuffer() + CLIENT_RCVBUF + LIMIT) / EVENT) + 1;
    String pad = "x".repeat(EVENT);
    Predicate<JsonObject> probe = f -> ADDRESS.equals(f.getString("address"))
        && "buf".equals(f.getJsonObject("body").getString("probe"));
    // published in steps of half the limit, each once the reader has it: a reader that keeps up never has the
    // limit queued, however slowly its thread is scheduled (CI: publishing all at once outran the reader, which
    // was closed too), while the stalled socket's queue grows by every step
    int step = Math.max(1, LIMIT / 2 / EVENT);
    for (int i = 0; i < events; i++) {
      daemon.daemon.vertx().eventBus().publish(ADDRESS, new JsonObject().put("probe", "buf").put("seq", i)
          .put("pad", pad));
      if ((i + 1) % step == 0 || i == events - 1) {
        int last = i;
        Await.result(reader.until(probe.and(f -> f.getJsonObject("body").getInteger("seq") == last)));
      }
    }
    List<Integer> got = Await.result(reader.receivedMatching(probe)).stream()
        .map(f -> f.getJsonObject("body").getInteger("seq")).toList();
    assertThat(got).isEqualTo(IntStream.range(0, events).boxed().toList());

    stalled.resume();
    Await.result(stalled.closed());
    int stalledGot = Await.result(stalled.receivedMatching(probe)).size();
    assertThat(stalledGot).as("frames the stalled socket got of %d", events).isLessThan(events);

    // the daemon is unharmed: the reading socket and HTTP still answer
    JsonObject list = Await.result(reader.request("vmsup.vm.list", new JsonObject(), null));
    assertThat(list.getString("type")).as(list.encode()).isEqualTo("rec");
    assertThat(daemon.ok("GET", "/v1/vms", null).getJsonArray("vms")).isEmpty();
    Await.result(reader.close());
  }

  private static long maxSendBuffer() throws Exception {
    // readString stops early on /proc files (they report size 0); readAllLines reads to the end
    String[] wmem = Files.readAllLines(Path.of("/proc/sys/net/ipv4/tcp_wmem")).get(0).trim().split("\\s+");
    return Long.parseLong(wmem[2]);
  }
}
