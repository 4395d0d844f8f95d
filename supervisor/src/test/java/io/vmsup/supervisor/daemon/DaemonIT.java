package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.client.ApiClient;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** End to end over real HTTP: a daemon supervising real QEMU ({@code -machine none}). */
class DaemonIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private DaemonFixture daemon;
  private HttpClient sseClient;

  @BeforeEach
  void start() throws Exception {
    daemon = daemons.start();
    sseClient = daemons.httpClient();
  }

  @Test
  void createStartListStopDeleteWithEventsOverSse() throws Exception {
    SseRecorder all = Await.result(SseRecorder.open(sseClient, daemon.daemon.url(), "/v1/events",
        daemon.daemon.token().value()));

    ApiClient.Response created = daemon.send("POST", "/v1/vms", TestSpecs.machineNone("e2e1"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(new JsonObject(created.body()).getString("state")).isEqualTo("DEFINED");
    SseRecorder one = Await.result(SseRecorder.open(sseClient, daemon.daemon.url(), "/v1/vms/e2e1/events",
        daemon.daemon.token().value()));

    JsonObject started = daemon.ok("POST", "/v1/vms/e2e1/start", null);
    assertThat(started.getString("state")).isEqualTo("RUNNING");
    long pid = started.getLong("pid");
    assertThat(ProcessHandle.of(pid)).isPresent();

    JsonObject list = daemon.ok("GET", "/v1/vms", null);
    assertThat(list.getJsonArray("vms").stream().map(v -> ((JsonObject) v).getString("name")))
        .containsExactly("e2e1");
    assertThat(daemon.ok("GET", "/v1/vms/e2e1", null).getLong("pid")).isEqualTo(pid);

    JsonObject stopped = daemon.ok("POST", "/v1/vms/e2e1/stop?graceSeconds=1", null);
    assertThat(stopped.getString("state")).isEqualTo("STOPPED");

    List<JsonObject> seen = Await.result(one.until(SseRecorder.state("e2e1", "STOPPED")));
    assertThat(seen.stream().filter(e -> "state".equals(e.getString("type"))).map(e -> e.getString("to")))
        .containsSubsequence("STARTING", "RUNNING", "STOPPING", "STOPPED");
    assertThat(Await.result(all.until(SseRecorder.state("e2e1", "STOPPED")))).allMatch(e -> "e2e1".equals(e.getString("vm")));

    assertThat(daemon.send("DELETE", "/v1/vms/e2e1", null).status()).isEqualTo(204);
    assertThat(daemon.ok("GET", "/v1/vms", null).getJsonArray("vms")).isEmpty();
  }

  @Test
  void everyErrorIsAProblem() throws Exception {
    ApiClient.Response invalid = daemon.send("POST", "/v1/vms", TestSpecs.twoProblems());
    assertProblem(invalid, 400, "INVALID");
    assertThat(new JsonObject(invalid.body()).getJsonArray("violations").stream()
        .map(v -> ((JsonObject) v).getString("path"))).containsExactlyInAnyOrder("name", "machine.type");

    ApiClient.Response unauthorized = new ApiClient(daemon.daemon.url(), "not-the-token")
        .send("GET", "/v1/vms", null);
    assertProblem(unauthorized, 401, "UNAUTHORIZED");

    assertProblem(daemon.send("GET", "/v1/vms/nope", null), 404, "NOT_FOUND");
    assertProblem(daemon.send("POST", "/v1/vms/nope/start", null), 404, "NOT_FOUND");
    assertProblem(daemon.send("GET", "/v1/vms/nope/events", null), 404, "NOT_FOUND");

    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("e2e2"));
    assertProblem(daemon.send("POST", "/v1/vms", TestSpecs.machineNone("e2e2")), 409, "CONFLICT");
    daemon.ok("POST", "/v1/vms/e2e2/start", null);
    assertProblem(daemon.send("POST", "/v1/vms/e2e2/start", null), 409, "CONFLICT");
    assertProblem(daemon.send("DELETE", "/v1/vms/e2e2", null), 409, "CONFLICT");

    ApiClient.Response body = daemon.api.send("POST", "/v1/vms", "{\"name\":\"" + "x".repeat(70_000) + "\"}");
    assertProblem(body, 413, "TOO_LARGE");
    assertProblem(daemon.send("GET", "/v2/whatever", null), 404, "NOT_FOUND");
  }

  @Test
  void qmpPassThroughAndLogs() throws Exception {
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("e2e3"));
    daemon.ok("POST", "/v1/vms/e2e3/start", null);
    JsonObject status = daemon.ok("POST", "/v1/vms/e2e3/qmp", new JsonObject().put("execute", "query-status"));
    assertThat(status.getJsonObject("return").getString("status")).isNotEmpty();
    ApiClient.Response qmpError = daemon.send("POST", "/v1/vms/e2e3/qmp",
        new JsonObject().put("execute", "no-such-command"));
    assertThat(qmpError.contentType()).isEqualTo("application/problem+json");
    assertThat(qmpError.status()).isBetween(400, 599);
    JsonObject log = daemon.ok("GET", "/v1/vms/e2e3/log?lines=5", null);
    assertThat(log.getJsonObject("qemu").getString("path")).endsWith("vms/e2e3/qemu.log");
    assertThat(log.getJsonObject("serial").getString("path")).endsWith("vms/e2e3/serial.log");
    assertThat(log.getJsonObject("qemu").getBoolean("exists")).isTrue();
  }

  private static void assertProblem(ApiClient.Response response, int status, String code) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).isEqualTo("application/problem+json");
    JsonObject problem = new JsonObject(response.body());
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("code")).isEqualTo(code);
    assertThat(problem.getString("title")).isNotBlank();
  }
}
