package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.audit.AuditLog;
import io.vmsup.supervisor.client.ApiClient;
import io.vmsup.supervisor.api.Scope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The read-only token against a real daemon: refused (403) for every mutating operation on HTTP, on the SockJS
 * bridge and on the bus itself (a message whose scope header says read), allowed to read; each attempt and each admin
 * mutation is in the audit log with its outcome; {@code vmsup token rotate} replaces a token without a restart.
 */
class TokenScopesIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();
  private DaemonFixture daemon;
  private ApiClient reader;
  private WebSocketClient wsClient;

  /** Every mutating HTTP operation: method, path, body. */
  private static final List<String[]> MUTATIONS = List.of(
      new String[] {"POST", "/v1/vms", TestSpecs.machineNone("x2").encode()},
      new String[] {"DELETE", "/v1/vms/s1", null},
      new String[] {"POST", "/v1/vms/s1/start", null}, new String[] {"POST", "/v1/vms/s1/stop", null},
      new String[] {"POST", "/v1/vms/s1/kill", null}, new String[] {"POST", "/v1/vms/s1/pause", null},
      new String[] {"POST", "/v1/vms/s1/resume", null}, new String[] {"POST", "/v1/vms/s1/reset", null},
      new String[] {"POST", "/v1/vms/s1/qmp", "{\"execute\": \"quit\"}"},
      new String[] {"POST", "/v1/vms/s1/devices", "{\"kind\": \"iothread\", \"id\": \"io1\"}"},
      new String[] {"DELETE", "/v1/vms/s1/devices/io1", null},
      new String[] {"POST", "/v1/vms/s1/console", "{\"data\": \"x\"}"});

  /** Every mutating bus address, as the bridge and later transports reach them. */
  private static final List<String> BUS_MUTATIONS = List.of(Addresses.CREATE, Addresses.START, Addresses.STOP,
      Addresses.KILL, Addresses.PAUSE, Addresses.RESUME, Addresses.RESET, Addresses.DELETE, Addresses.QMP,
      Addresses.ATTACH, Addresses.DETACH, Addresses.CONSOLE_WRITE, Addresses.REPLACE);

  @BeforeEach
  void start() throws Exception {
    daemon = daemons.start();
    reader = new ApiClient(daemon.daemon.url(), daemon.daemon.tokens().read().value());
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("s1"));
    daemon.ok("POST", "/v1/vms/s1/start", null);
    wsClient = daemons.clientVertx().createWebSocketClient();
  }

  @Test
  void theReadTokenIsRefusedForEveryMutationOverHttpButReads() throws Exception {
    for (String[] m : MUTATIONS) {
      ApiClient.Response r = reader.send(m[0], m[1], m[2]);
      assertThat(r.status()).as("%s %s: %s", m[0], m[1], r.body()).isEqualTo(403);
      assertThat(r.body()).contains("read-only token");
    }
    assertThat(reader.send("GET", "/v1/vms", null).status()).isEqualTo(200);
    assertThat(reader.send("GET", "/v1/vms/s1", null).status()).isEqualTo(200);
    assertThat(new JsonObject(reader.send("GET", "/v1/vms/s1", null).body()).getString("state"))
        .isEqualTo("RUNNING");
    List<JsonObject> audit = audit();
    assertThat(audit.stream().filter(e -> "read".equals(e.getString("scope")))).hasSize(MUTATIONS.size())
        .allMatch(e -> e.getString("transport").equals("http") && e.getString("outcome").equals("forbidden"));
    assertThat(audit).anyMatch(e -> "admin".equals(e.getString("scope")) && "start".equals(e.getString("op"))
        && "s1".equals(e.getString("vm")) && "ok".equals(e.getString("outcome")) && e.containsKey("at"));
  }

  @Test
  void theReadTokenIsRefusedForEveryMutationOverTheBridgeButReads() throws Exception {
    BridgeClient client = Await.result(BridgeClient.connect(wsClient, daemon.daemon.url(),
        daemon.daemon.tokens().read().value()));
    // a forged scope header is overwritten by the socket's own scope
    JsonObject forged = new JsonObject().put(Scope.HEADER, "admin");
    for (String address : BUS_MUTATIONS) {
      JsonObject r = Await.result(client.request(address, new JsonObject().put("name", "s1"), forged));
      assertThat(r.getString("type")).as("%s: %s", address, r.encode()).isEqualTo("err");
      assertThat(r.getInteger("failureCode")).as(address).isEqualTo(403);
    }
    JsonObject list = Await.result(client.request(Addresses.LIST, new JsonObject(), null));
    assertThat(list.getString("type")).isEqualTo("rec");
    assertThat(daemon.ok("GET", "/v1/vms/s1", null).getString("state")).isEqualTo("RUNNING");
    assertThat(audit()).filteredOn(e -> "sockjs".equals(e.getString("transport")))
        .hasSize(BUS_MUTATIONS.size()).allMatch(e -> "forbidden".equals(e.getString("outcome")));
  }

  /** Bus headers are case-insensitive: a scope header in other letters must not ride beside the stamped one. */
  @Test
  void aScopeHeaderInOtherLettersDoesNotMakeTheReadTokenAdmin() throws Exception {
    BridgeClient client = Await.result(BridgeClient.connect(wsClient, daemon.daemon.url(),
        daemon.daemon.tokens().read().value()));
    JsonObject forged = new JsonObject().put(Scope.HEADER.toUpperCase(java.util.Locale.ROOT), "admin")
        .put("Vmsup-Transport", "in-process");

    JsonObject r = Await.result(client.request(Addresses.PAUSE, new JsonObject().put("name", "s1"), forged));

    assertThat(r.getString("type")).as(r.encode()).isEqualTo("err");
    assertThat(r.getInteger("failureCode")).isEqualTo(403);
    assertThat(daemon.ok("GET", "/v1/vms/s1", null).getString("state")).isEqualTo("RUNNING");
    assertThat(audit()).filteredOn(e -> "pause".equals(e.getString("op")))
        .singleElement().satisfies(e -> {
          assertThat(e.getString("scope")).isEqualTo("read");
          assertThat(e.getString("transport")).isEqualTo("sockjs");
        });
  }

  @Test
  void theBusItselfRefusesAReadScopedMutationAndAuditsAFailedAdminOne() throws Exception {
    DeliveryOptions read = new DeliveryOptions().addHeader(Scope.HEADER, "read").addHeader(Scope.TRANSPORT_HEADER,
        "tcp-bridge");
    Throwable refused = Await.failure(daemon.daemon.vertx().eventBus()
        .request(Addresses.KILL, new JsonObject().put("name", "s1"), read));
    assertThat(((ReplyException) refused).failureCode()).isEqualTo(403);
    ApiClient.Response missing = daemon.send("POST", "/v1/vms/nope/start", null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(audit()).anyMatch(e -> "tcp-bridge".equals(e.getString("transport"))
        && "forbidden".equals(e.getString("outcome")) && "kill".equals(e.getString("op")))
        .anyMatch(e -> "nope".equals(e.getString("vm")) && "failed".equals(e.getString("outcome"))
            && e.getInteger("code") == 404);
  }

  @Test
  void rotateReplacesATokenWithoutARestart() throws Exception {
    String oldRead = daemon.daemon.tokens().read().value();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TokenCommand.run(new String[] {"rotate", "--scope", "read", "--state-dir", daemons.state().toString()}, Map.of(),
        new PrintStream(out), new PrintStream(err));
    String fresh = out.toString().trim();

    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString()).contains("accepts the new token");
    assertThat(new ApiClient(daemon.daemon.url(), fresh).send("GET", "/v1/vms", null).status()).isEqualTo(200);
    assertThat(new ApiClient(daemon.daemon.url(), oldRead).send("GET", "/v1/vms", null).status()).isEqualTo(401);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(daemons.state().resolve("token.read"))))
        .isEqualTo("rw-------");
    assertThat(new ApiClient(daemon.daemon.url(), fresh).send("POST", "/v1/vms/s1/stop", null).status())
        .isEqualTo(403);
  }

  private List<JsonObject> audit() throws Exception {
    Await.result(daemon.daemon.audit().flush());
    return Files.readAllLines(AuditLog.file(daemons.state())).stream().map(JsonObject::new).toList();
  }
}
