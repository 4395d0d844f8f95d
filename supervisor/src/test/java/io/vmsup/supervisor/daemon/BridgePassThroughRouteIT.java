package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.audit.AuditLog;
import io.vmsup.supervisor.client.ApiClient;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Both bridges' QMP pass-through answers are the documented ones, never the bus's "no handler": a daemon as a separate
 * process, its SockJS bridge (WebSocket) and its TCP bridge. A VM's own address {@code vmsup.vm.qmp.NAME} answers for a
 * running VM; for a VM that does not exist it answers 404 (as {@code vmsup.vm.qmp} does), and a body naming another
 * VM is INVALID there, not run on that VM; calls in flight while their VM is deleted answer 409 (no QMP connection)
 * or 404, and the audit closes each.
 */
class BridgePassThroughRouteIT {

  private static final Pattern TCP_PORT = Pattern.compile("TCP event-bus bridge on \\S+:(\\d+)");
  private static final int CALLS = 40;

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void bridgesAnswerThePassThroughAsDocumentedWhileAVmIsDeleted() throws Exception {
    DaemonProcess daemon = daemons.process(List.of("--tcp-bridge-port", "0"));
    String url = daemon.url(); // the token file exists once the daemon listens
    String token = Files.readString(daemons.state().resolve("token")).trim();
    ApiClient api = new ApiClient(daemon.url(), token);
    assertThat(api.send("POST", "/v1/vms", TestSpecs.machineNone("live").encode()).status()).isEqualTo(201);
    assertThat(api.send("POST", "/v1/vms", TestSpecs.machineNone("gone-ws").encode()).status()).isEqualTo(201);
    assertThat(api.send("POST", "/v1/vms", TestSpecs.machineNone("gone-tcp").encode()).status()).isEqualTo(201);
    ApiClient.Response started = api.send("POST", "/v1/vms/live/start", null);
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    daemons.killAfter(new JsonObject(started.body()).getLong("pid"));

    BridgeClient ws = Await.result(BridgeClient.connect(daemons.clientVertx().createWebSocketClient(), daemon.url(),
        token));
    Matcher port = TCP_PORT.matcher(daemon.text());
    assertThat(port.find()).as(daemon.text()).isTrue();
    try (TcpFrames tcp = new TcpFrames(Integer.parseInt(port.group(1)))) {
      List<Transport> transports = List.of(
          (address, body) -> Await.result(ws.request(address, body, null)),
          (address, body) -> tcp.request(address, body, token));
      for (Transport t : transports) {
        JsonObject ok = t.call("vmsup.vm.qmp.live", status("live"));
        assertThat(ok.getString("type")).as(ok.encode()).isIn("rec", "message"); // SockJS, TCP
        assertThat(ok.getJsonObject("body").getJsonObject("return").getString("status")).isEqualTo("running");
        assertThat(t.call("vmsup.vm.qmp", status("live")).getString("type")).isIn("rec", "message");
        // no such VM: the registry's 404, on either address
        assertFailure(t.call("vmsup.vm.qmp.ghost", status("ghost")), 404);
        assertFailure(t.call("vmsup.vm.qmp", status("ghost")), 404);
        // the address names a VM that is not here, the body another that is: never run on the one the body names
        assertFailure(t.call("vmsup.vm.qmp.ghost", status("live")), 400);
      }
      // hostile bodies to the own address of a VM that is not here: refused 400, never asked of vmsup.vm.qmp
      for (Object body : List.of("live", 7, new io.vertx.core.json.JsonArray().add("live"), new JsonObject()
          .put("execute", "stop"), new JsonObject().put("name", 1).put("execute", "stop"))) {
        tcp.write(new JsonObject().put("type", "send").put("address", "vmsup.vm.qmp.ghost").put("replyAddress", "h")
            .put("headers", new JsonObject().put("authorization", "Bearer " + token)).put("body", body));
        assertFailure(tcp.read(), 400);
      }
      assertThat(api.send("GET", "/v1/vms/live", null).body()).contains("\"RUNNING\"");
      deleteMidCalls("gone-ws", new WsCalls(ws), api);
      deleteMidCalls("gone-tcp", new TcpCalls(tcp, token), api);
    }
    Await.result(ws.close());
    // every call audited once: a pending record and its outcome (the bridge's own request, routed, is not audited)
    Await.until("the audit has every outcome", () -> audited("ghost").size() == 8, java.time.Duration.ofSeconds(60));
    assertThat(audited("ghost")).containsExactly("pending", "failed 404", "pending", "failed 404",
        "pending", "failed 404", "pending", "failed 404");
    // a call its deleted VM's actor discarded unread is closed undelivered, and asked again of vmsup.vm.qmp (404)
    for (String vm : List.of("gone-ws", "gone-tcp")) {
      assertThat(audited(vm)).as(vm).allMatch(o -> List.of("pending", "failed 409", "failed 404", "undelivered")
          .contains(o));
    }
  }

  /**
   * {@code CALLS} pass-throughs to {@code vm}'s own address sent at once with its deletion in their midst, then one
   * after it: each answers 409 (the VM has no QMP connection) or 404 (deleted), the one after 404.
   */
  private void deleteMidCalls(String vm, Calls calls, ApiClient api) throws Exception {
    String own = "vmsup.vm.qmp." + vm;
    calls.send(own, status(vm), CALLS / 2);
    ApiClient.Response deleted = api.send("DELETE", "/v1/vms/" + vm, null);
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
    calls.send(own, status(vm), CALLS / 2);
    List<JsonObject> answers = calls.collect();
    assertThat(answers).hasSize(CALLS);
    for (JsonObject frame : answers) {
      assertThat(frame.getString("type")).as(frame.encode()).isEqualTo("err");
      assertThat(frame.getInteger("failureCode")).as(frame.encode()).isIn(404, 409);
    }
    calls.send(own, status(vm), 1);
    assertFailure(calls.collect().get(0), 404);
  }

  private static void assertFailure(JsonObject frame, int code) {
    assertThat(frame.getString("type")).as(frame.encode()).isEqualTo("err");
    // the bus's own failures (no handler, a discarded request) have code -1
    assertThat(frame.getInteger("failureCode")).as(frame.encode()).isEqualTo(code);
  }

  private List<String> audited(String vm) throws Exception {
    return Files.readAllLines(AuditLog.file(daemons.state())).stream().filter(l -> l.endsWith("}"))
        .map(JsonObject::new).filter(r -> "qmp".equals(r.getString("op")) && vm.equals(r.getString("vm")))
        .map(r -> r.getString("outcome") + (r.getValue("code") == null ? "" : " " + r.getValue("code"))).toList();
  }

  private static JsonObject status(String vm) {
    return new JsonObject().put("name", vm).put("execute", "query-status");
  }

  /** One request over a bridge: its reply or error frame. */
  private interface Transport {
    JsonObject call(String address, JsonObject body) throws Exception;
  }

  /** Requests sent at once over a bridge, their answers collected after. */
  private interface Calls {
    void send(String address, JsonObject body, int n) throws Exception;

    /** The answers to the requests sent since the last collect. */
    List<JsonObject> collect() throws Exception;
  }

  private static final class WsCalls implements Calls {
    private final BridgeClient client;
    private final List<Future<JsonObject>> sent = new ArrayList<>();

    WsCalls(BridgeClient client) {
      this.client = client;
    }

    @Override
    public void send(String address, JsonObject body, int n) {
      for (int i = 0; i < n; i++) {
        sent.add(client.request(address, body, null));
      }
    }

    @Override
    public List<JsonObject> collect() throws Exception {
      List<JsonObject> out = new ArrayList<>();
      for (Future<JsonObject> f : sent) {
        out.add(Await.result(f));
      }
      sent.clear();
      return out;
    }
  }

  private static final class TcpCalls implements Calls {
    private final TcpFrames tcp;
    private final String token;
    private int sent;

    TcpCalls(TcpFrames tcp, String token) {
      this.tcp = tcp;
      this.token = token;
    }

    @Override
    public void send(String address, JsonObject body, int n) throws Exception {
      for (int i = 0; i < n; i++) {
        tcp.write(new JsonObject().put("type", "send").put("address", address).put("replyAddress", "r-" + sent++)
            .put("headers", new JsonObject().put("authorization", "Bearer " + token)).put("body", body));
      }
    }

    @Override
    public List<JsonObject> collect() throws Exception {
      List<JsonObject> out = new ArrayList<>();
      for (; sent > 0; sent--) {
        out.add(tcp.read());
      }
      return out;
    }
  }
}
