package io.vmsup.supervisor.daemon;

import static io.vmsup.supervisor.daemon.DaemonFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SockJS event-bus bridge over a real WebSocket, against a daemon supervising real QEMU. */
class BridgeIT {

  @TempDir
  Path state;

  private DaemonFixture daemon;
  private Vertx clientVertx;
  private WebSocketClient wsClient;

  @BeforeEach
  void start() throws Exception {
    daemon = DaemonFixture.start(state);
    clientVertx = Vertx.vertx();
    wsClient = clientVertx.createWebSocketClient();
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
    await(wsClient.close());
    await(clientVertx.close());
  }

  @Test
  void tokenOnTheUpgradeAllowsVmCommandsAndEvents() throws Exception {
    BridgeClient client = await(BridgeClient.connect(wsClient, daemon.daemon.url(), daemon.daemon.token().value()));
    JsonObject list = await(client.request("vmsup.vm.list", new JsonObject(), null));
    assertThat(list.getString("type")).as(list.encode()).isEqualTo("rec");
    assertThat(list.getJsonObject("body").getJsonArray("vms")).isEmpty();

    await(client.register("vmsup.events", null));
    JsonObject created = await(client.request("vmsup.vm.create", TestSpecs.machineNone("br1"), null));
    assertThat(created.getString("type")).as(created.encode()).isEqualTo("rec");
    JsonObject started = await(client.request("vmsup.vm.start", new JsonObject().put("name", "br1"), null));
    assertThat(started.getJsonObject("body").getString("state")).as(started.encode()).isEqualTo("RUNNING");
    JsonObject running = await(client.until(f -> "vmsup.events".equals(f.getString("address"))
        && SseRecorder.state("br1", "RUNNING").test(f.getJsonObject("body"))));
    assertThat(running.getJsonObject("body").getString("from")).isEqualTo("STARTING");

    JsonObject failed = await(client.request("vmsup.vm.get", new JsonObject().put("name", "nope"), null));
    assertThat(failed.getString("type")).isEqualTo("err");
    assertThat(failed.getInteger("failureCode")).isEqualTo(404);

    JsonObject refused = await(client.request("vmsup.internal.secret", new JsonObject(), null));
    assertThat(refused.getString("type")).isEqualTo("err");
    assertThat(refused.getString("body")).isEqualTo("access_denied");
    await(client.close());
  }

  @Test
  void withoutTokenEverythingIsRefusedUntilAFrameCarriesIt() throws Exception {
    BridgeClient client = await(BridgeClient.connect(wsClient, daemon.daemon.url(), null));
    // the token check answers "rejected"; the address rules answer "access_denied"
    JsonObject refused = await(client.request("vmsup.vm.list", new JsonObject(), null));
    assertThat(refused.getString("type")).isEqualTo("err");
    assertThat(refused.getString("body")).isEqualTo("rejected");
    JsonObject wrong = await(client.request("vmsup.vm.list", new JsonObject(),
        new JsonObject().put("Authorization", "Bearer wrong")));
    assertThat(wrong.getString("body")).isEqualTo("rejected");

    JsonObject auth = new JsonObject().put("Authorization", "Bearer " + daemon.daemon.token().value());
    JsonObject list = await(client.request("vmsup.vm.list", new JsonObject(), auth));
    assertThat(list.getString("type")).as(list.encode()).isEqualTo("rec");
    // the socket stays authenticated
    assertThat(await(client.request("vmsup.vm.list", new JsonObject(), null)).getString("type")).isEqualTo("rec");
    await(client.close());
  }
}
