package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SockJS event-bus bridge over a real WebSocket, against a daemon supervising real QEMU. */
class BridgeIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private DaemonFixture daemon;
  private WebSocketClient wsClient;

  @BeforeEach
  void start() throws Exception {
    daemon = daemons.start();
    wsClient = daemons.clientVertx().createWebSocketClient();
  }

  @Test
  void tokenOnTheUpgradeAllowsVmCommandsAndEvents() throws Exception {
    BridgeClient client = Await.result(BridgeClient.connect(wsClient, daemon.daemon.url(), daemon.daemon.token().value()));
    JsonObject list = Await.result(client.request("vmsup.vm.list", new JsonObject(), null));
    assertThat(list.getString("type")).as(list.encode()).isEqualTo("rec");
    assertThat(list.getJsonObject("body").getJsonArray("vms")).isEmpty();

    Await.result(client.register("vmsup.events", null));
    JsonObject created = Await.result(client.request("vmsup.vm.create", TestSpecs.machineNone("br1"), null));
    assertThat(created.getString("type")).as(created.encode()).isEqualTo("rec");
    JsonObject started = Await.result(client.request("vmsup.vm.start", new JsonObject().put("name", "br1"), null));
    assertThat(started.getJsonObject("body").getString("state")).as(started.encode()).isEqualTo("RUNNING");
    JsonObject running = Await.result(client.until(f -> "vmsup.events".equals(f.getString("address"))
        && SseRecorder.state("br1", "RUNNING").test(f.getJsonObject("body"))));
    assertThat(running.getJsonObject("body").getString("from")).isEqualTo("STARTING");

    JsonObject failed = Await.result(client.request("vmsup.vm.get", new JsonObject().put("name", "nope"), null));
    assertThat(failed.getString("type")).isEqualTo("err");
    assertThat(failed.getInteger("failureCode")).isEqualTo(404);

    JsonObject refused = Await.result(client.request("vmsup.internal.secret", new JsonObject(), null));
    assertThat(refused.getString("type")).isEqualTo("err");
    assertThat(refused.getString("body")).isEqualTo("access_denied");
    Await.result(client.close());
  }

  @Test
  void withoutTokenEverythingIsRefusedUntilAFrameCarriesIt() throws Exception {
    BridgeClient client = Await.result(BridgeClient.connect(wsClient, daemon.daemon.url(), null));
    // the token check answers "rejected"; the address rules answer "access_denied"
    JsonObject refused = Await.result(client.request("vmsup.vm.list", new JsonObject(), null));
    assertThat(refused.getString("type")).isEqualTo("err");
    assertThat(refused.getString("body")).isEqualTo("rejected");
    JsonObject wrong = Await.result(client.request("vmsup.vm.list", new JsonObject(),
        new JsonObject().put("Authorization", "Bearer wrong")));
    assertThat(wrong.getString("body")).isEqualTo("rejected");

    JsonObject auth = new JsonObject().put("Authorization", "Bearer " + daemon.daemon.token().value());
    JsonObject list = Await.result(client.request("vmsup.vm.list", new JsonObject(), auth));
    assertThat(list.getString("type")).as(list.encode()).isEqualTo("rec");
    // the socket stays authenticated
    assertThat(Await.result(client.request("vmsup.vm.list", new JsonObject(), null)).getString("type")).isEqualTo("rec");
    Await.result(client.close());
  }

  @Test
  void consoleAddressesCrossTheBridge() throws Exception {
    BridgeClient client = Await.result(BridgeClient.connect(wsClient, daemon.daemon.url(), daemon.daemon.token().value()));
    Await.result(client.request("vmsup.vm.create", TestSpecs.machineNone("br2"), null));
    JsonObject history = Await.result(client.request("vmsup.vm.console.read", new JsonObject().put("name", "br2"), null));
    assertThat(history.getString("type")).as(history.encode()).isEqualTo("rec");
    assertThat(history.getJsonObject("body").getJsonArray("lines")).isEmpty();

    Await.result(client.register("vmsup.console.br2", null));
    // the registration is confirmed by nothing: a request answered after it shows the bridge has handled it
    Await.result(client.request("vmsup.vm.list", new JsonObject(), null));
    JsonObject line = new JsonObject().put("vm", "br2").put("line", "hello").put("offset", 0);
    daemon.daemon.vertx().eventBus().publish("vmsup.console.br2", line);
    JsonObject frame = Await.result(client.until(f -> "vmsup.console.br2".equals(f.getString("address"))));
    assertThat(frame.getJsonObject("body")).isEqualTo(line);
    Await.result(client.close());
  }

  @Test
  void oneSocketsTokenNeverAuthenticatesAnother() throws Exception {
    BridgeClient authed = Await.result(BridgeClient.connect(wsClient, daemon.daemon.url(), daemon.daemon.token().value()));
    assertThat(Await.result(authed.request("vmsup.vm.list", new JsonObject(), null)).getString("type")).isEqualTo("rec");
    BridgeClient anonymous = Await.result(BridgeClient.connect(wsClient, daemon.daemon.url(), null));
    JsonObject refused = Await.result(anonymous.request("vmsup.vm.list", new JsonObject(), null));
    assertThat(refused.getString("body")).as(refused.encode()).isEqualTo("rejected");
    // and closing one socket does not take the other's authentication with it
    Await.result(anonymous.close());
    assertThat(Await.result(authed.request("vmsup.vm.list", new JsonObject(), null)).getString("type")).isEqualTo("rec");
    Await.result(authed.close());
  }
}
