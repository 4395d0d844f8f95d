package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.audit.AuditLog;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.bridge.TcpBridgeSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The TCP event-bus bridge of a real daemon, driven by the runnable example {@code examples/clients/tcp-bridge.py}
 * (python3, standard library: a client not on the JVM) and by raw frames: the token's scope applies as on the SockJS
 * bridge, and hostile frames are refused without harm to the daemon.
 */
class TcpBridgeIT {

  private static final Path SCRIPT = Path.of("..", "examples", "clients", "tcp-bridge.py").toAbsolutePath();

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private record Run(int exit, String out, String err) {
  }

  private DaemonFixture start(TcpBridgeSettings tcp) throws Exception {
    return daemons.start(DaemonFixture.config(daemons.state()).toBuilder().tcpBridge(tcp).build());
  }

  private static int port(DaemonFixture d) {
    return d.daemon.tcpBridgePort().orElseThrow();
  }

  private Run python(DaemonFixture d, String tokenFile, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("python3", SCRIPT.toString(), "--port", String.valueOf(port(d))));
    if (tokenFile != null) {
      cmd.addAll(List.of("--token-file", daemons.state().resolve(tokenFile).toString()));
    }
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("VMSUP_TOKEN");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, err);
  }

  @Test
  void aPythonClientListsWithTheTokenIsRefusedWithoutAndTheReadTokenChangesNothing() throws Exception {
    DaemonFixture d = start(TcpBridgeSettings.off().onPort(0));
    d.ok("POST", "/v1/vms", TestSpecs.machineNone("t1"));
    long pid = d.ok("POST", "/v1/vms/t1/start", null).getLong("pid");

    Run admin = python(d, "token", "list");
    assertThat(admin.exit()).as(admin.err()).isZero();
    assertThat(admin.out()).matches("(?s)t1\\s+RUNNING\\s+" + pid + "\\s*");
    Run reader = python(d, "token.read", "list");
    assertThat(reader.exit()).as(reader.err()).isZero();
    assertThat(reader.out()).contains("t1").contains("RUNNING");

    Run none = python(d, null, "list");
    assertThat(none.exit()).isEqualTo(1);
    assertThat(new JsonObject(none.err().trim()).getInteger("failureCode")).isEqualTo(401);
    Files.writeString(daemons.dir("other").resolve("token"), "x".repeat(43));
    Run wrong = python(d, "../other/token", "list");
    assertThat(new JsonObject(wrong.err().trim()).getInteger("failureCode")).isEqualTo(401);

    for (String address : List.of("vmsup.vm.stop", "vmsup.vm.kill", "vmsup.vm.pause", "vmsup.vm.delete")) {
      Run refused = python(d, "token.read", "send", address, "{\"name\": \"t1\"}");
      assertThat(refused.exit()).as(address).isEqualTo(1);
      assertThat(new JsonObject(refused.err().trim()).getInteger("failureCode")).as(address).isEqualTo(403);
    }
    assertThat(d.ok("GET", "/v1/vms/t1", null).getString("state")).isEqualTo("RUNNING");
    Run paused = python(d, "token", "send", "vmsup.vm.pause", "{\"name\": \"t1\"}");
    assertThat(paused.exit()).as(paused.err()).isZero();
    assertThat(new JsonObject(paused.out().trim()).getString("state")).isEqualTo("PAUSED");

    Await.result(d.daemon.audit().flush());
    List<JsonObject> audit = Files.readAllLines(AuditLog.file(daemons.state())).stream().map(JsonObject::new).toList();
    assertThat(audit).filteredOn(e -> "tcp".equals(e.getString("transport"))
        && !"pending".equals(e.getString("outcome")))
        .extracting(e -> e.getString("scope") + " " + e.getString("op") + " " + e.getString("outcome"))
        .containsExactly("read stop forbidden", "read kill forbidden", "read pause forbidden",
            "read delete forbidden", "admin pause ok");
  }

  @Test
  void eventsReachARegisteredClientWithATokenOnly() throws Exception {
    DaemonFixture d = start(TcpBridgeSettings.off().onPort(0));
    d.ok("POST", "/v1/vms", TestSpecs.machineNone("e1"));
    Process events = new ProcessBuilder("python3", SCRIPT.toString(), "--port", String.valueOf(port(d)),
        "--token-file", daemons.state().resolve("token.read").toString(), "events", "e1", "--count", "3").start();
    daemons.closeAfter(events::destroyForcibly);
    BufferedReader err = new BufferedReader(new InputStreamReader(events.getErrorStream(), StandardCharsets.UTF_8));
    assertThat(err.readLine()).isEqualTo("registered");

    d.ok("POST", "/v1/vms/e1/start", null);
    BufferedReader out = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8));
    JsonObject first = new JsonObject(out.readLine());
    JsonObject turn = new JsonObject(out.readLine());
    JsonObject second = new JsonObject(out.readLine());
    // every start's turn in the start queue is announced between STARTING and RUNNING
    assertThat(List.of(first.getString("type"), turn.getString("type"), second.getString("type")))
        .containsExactly("state", "start-queue", "state");
    assertThat(turn.getBoolean("queued")).isFalse();
    assertThat(List.of(first.getString("to"), second.getString("to"))).containsExactly("STARTING", "RUNNING");
    assertThat(events.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(events.exitValue()).isZero();

    Run refused = python(d, null, "events", "e1", "--count", "1");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(new JsonObject(refused.err().trim()).getString("type")).isEqualTo("err");
  }

  @Test
  void hostileFramesAreRefusedAndTheConnectionOrTheDaemonGoesOn() throws Exception {
    DaemonFixture d = start(TcpBridgeSettings.off().onPort(0).withLimits(4096, 3, Duration.ofSeconds(1)));
    String admin = d.daemon.token().value();
    String read = d.daemon.tokens().read().value();
    try (TcpFrames c = new TcpFrames(port(d))) {
      c.writeRaw("{not json".getBytes(StandardCharsets.UTF_8));
      assertThat(c.read().getString("message")).startsWith("invalid_frame: not a JSON object");
      for (String bad : List.of("{\"type\":\"dance\",\"address\":\"vmsup.vm.list\"}",
          "{\"type\":\"send\",\"address\":\"vmsup.vm.list\",\"headers\":{\"x\":1}}",
          "{\"type\":\"send\",\"address\":\"vmsup.vm.list\",\"headers\":{\"codecName\":\"evil\"}}",
          "{\"type\":\"send\",\"address\":\"vmsup.vm.list\",\"headers\":{\"timeout\":-1}}",
          "{\"type\":\"send\",\"address\":7}", "[1,2,3]")) {
        assertThat(c.refusal(bad)).as(bad).startsWith("invalid_frame: ");
      }
      // the connection still works, and a forged scope beside the read token stays read
      assertThat(c.request("vmsup.vm.list", new JsonObject(), admin).getString("type")).isEqualTo("message");
      JsonObject forged = c.request("vmsup.vm.create", TestSpecs.machineNone("x"), new JsonObject()
          .put("Authorization", "Bearer " + read).put("VMSUP-SCOPE", "admin").put("vmsup-transport", "in-process"));
      assertThat(forged.getInteger("failureCode")).as(forged.encode()).isEqualTo(403);
      JsonObject outside = c.request("vmsup.internal.query", new JsonObject().put("name", "x"), admin);
      assertThat(outside.getString("message")).isEqualTo("access_denied");
      // a frame longer than allowed: an error frame, then the connection is closed
      c.writeLength(Integer.MAX_VALUE);
      assertThat(c.read().getString("message")).startsWith("frame_too_large");
      assertThat(c.closedByPeer()).isTrue();
    }
    try (TcpFrames silent = new TcpFrames(port(d))) {
      assertThat(silent.closedByPeer()).as("no frame within firstFrame").isTrue();
    }
    try (TcpFrames a = new TcpFrames(port(d)); TcpFrames b = new TcpFrames(port(d));
         TcpFrames c = new TcpFrames(port(d))) {
      // each sends a frame first: none is closed for silence while the fourth knocks
      for (TcpFrames open : List.of(a, b, c)) {
        assertThat(open.request("vmsup.vm.list", new JsonObject(), admin).getString("type")).isEqualTo("message");
      }
      try (TcpFrames fourth = new TcpFrames(port(d))) {
        assertThat(fourth.closedByPeer()).as("over maxConnections").isTrue();
      }
      assertThat(c.request("vmsup.vm.list", new JsonObject(), read).getString("type")).isEqualTo("message");
    }
    assertThat(d.ok("GET", "/v1/vms", null).getJsonArray("vms")).isEmpty();
  }
}
