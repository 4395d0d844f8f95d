package io.vmsup.supervisor.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP adapter's mapping, against test-only consumers on the bus addresses (the real supervisor is exercised
 * by {@code DaemonIT}).
 */
class HttpApiTest {

  private static final AccessToken TOKEN = AccessToken.of("secret-token");

  @TempDir
  Path state;

  private Vertx vertx;
  private HttpServer server;
  private HttpClient client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(
        TimeUnit.MILLISECONDS));
    ApiOptions options = ApiOptions.defaults(TOKEN, LogLocator.inStateDir(state))
        .withMetrics(() -> Future.succeededFuture("# metrics\n"))
        .withBodyLimit(2048);
    server = Await.result(vertx.createHttpServer().requestHandler(HttpApi.router(vertx, options)).listen(0, "127.0.0.1"));
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    Await.result(client.close());
    Await.result(vertx.close());
  }

  private record Reply(int status, String contentType, Buffer body, String authenticate) {
    JsonObject json() {
      return body.toJsonObject();
    }
  }

  private Reply call(HttpMethod method, String path, String token, String body) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI(path);
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    // body() is asked for in the same callback that sees the response: a later stage could miss its end
    return Await.result(client.request(options).compose(req -> (body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.getHeader("Content-Type"), b,
            resp.getHeader("WWW-Authenticate"))))));
  }


  private void failWith(String address, ErrorCode code, JsonObject body) throws Exception {
    Await.result(vertx.eventBus().consumer(address, msg -> msg.fail(code.code(), body.encode())).completion());
  }

  private void replyWith(String address, JsonObject reply) throws Exception {
    Await.result(vertx.eventBus().consumer(address, msg -> msg.reply(reply)).completion());
  }

  @Test
  void healthIsOpenAndV1NeedsTheToken() throws Exception {
    assertThat(call(HttpMethod.GET, "/health", null, null).json().getString("status")).isEqualTo("UP");
    Reply missing = call(HttpMethod.GET, "/v1/vms", null, null);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.contentType()).isEqualTo("application/problem+json");
    assertThat(missing.authenticate()).startsWith("Bearer");
    assertThat(missing.json().getString("code")).isEqualTo("UNAUTHORIZED");
    assertThat(call(HttpMethod.GET, "/v1/vms", "wrong", null).status()).isEqualTo(401);
    assertThat(call(HttpMethod.GET, "/v1/events", null, null).status()).isEqualTo(401);
  }

  @Test
  void invalidSpecListsEveryViolation() throws Exception {
    JsonArray violations = new JsonArray()
        .add(new JsonObject().put("path", "name").put("message", "must not be empty"))
        .add(new JsonObject().put("path", "devices[2].file").put("message", "must be absolute"));
    failWith(Addresses.CREATE, ErrorCode.INVALID, new JsonObject().put("code", 400).put("error", "invalid")
        .put("message", "2 problems").put("violations", violations));
    Reply reply = call(HttpMethod.POST, "/v1/vms", TOKEN.value(), "{\"name\":\"\"}");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.contentType()).isEqualTo("application/problem+json");
    JsonObject problem = reply.json();
    assertThat(problem.getString("code")).isEqualTo("INVALID");
    assertThat(problem.getInteger("status")).isEqualTo(400);
    assertThat(problem.getString("detail")).isEqualTo("2 problems");
    assertThat(problem.getString("instance")).isEqualTo("/v1/vms");
    assertThat(problem.getJsonArray("violations")).isEqualTo(violations);
  }

  @Test
  void busCodesMapToStatuses() throws Exception {
    failWith(Addresses.GET, ErrorCode.NOT_FOUND, new JsonObject().put("message", "no VM 'x'"));
    failWith(Addresses.START, ErrorCode.CONFLICT, new JsonObject().put("message", "already running"));
    failWith(Addresses.PAUSE, ErrorCode.UNAVAILABLE, new JsonObject().put("message", "QMP timed out"));
    failWith(Addresses.RESET, ErrorCode.INTERNAL, new JsonObject().put("message", "boom"));
    JsonObject notFound = call(HttpMethod.GET, "/v1/vms/x", TOKEN.value(), null).json();
    assertThat(notFound.getInteger("status")).isEqualTo(404);
    assertThat(notFound.getString("detail")).isEqualTo("no VM 'x'");
    assertThat(call(HttpMethod.POST, "/v1/vms/x/start", TOKEN.value(), null).status()).isEqualTo(409);
    assertThat(call(HttpMethod.POST, "/v1/vms/x/pause", TOKEN.value(), null).status()).isEqualTo(503);
    assertThat(call(HttpMethod.POST, "/v1/vms/x/reset", TOKEN.value(), null).status()).isEqualTo(500);
    // nobody listens on vmsup.vm.kill here
    Reply none = call(HttpMethod.POST, "/v1/vms/x/kill", TOKEN.value(), null);
    assertThat(none.status()).isEqualTo(503);
    assertThat(none.json().getString("code")).isEqualTo("UNAVAILABLE");
  }

  @Test
  void requestsBecomeBusMessages() throws Exception {
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.STOP, msg -> msg.reply(msg.body())).completion());
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.QMP, msg -> msg.reply(msg.body())).completion());
    replyWith(Addresses.CREATE, new JsonObject().put("name", "vm1").put("state", "DEFINED"));
    Await.result(vertx.eventBus().consumer(Addresses.DELETE, msg -> msg.reply(new JsonObject())).completion());
    assertThat(call(HttpMethod.POST, "/v1/vms/vm1/stop?graceSeconds=7", TOKEN.value(), null).json())
        .isEqualTo(new JsonObject().put("name", "vm1").put("graceSeconds", 7));
    assertThat(call(HttpMethod.POST, "/v1/vms/vm1/stop", TOKEN.value(), "{\"graceSeconds\":3}").json())
        .isEqualTo(new JsonObject().put("name", "vm1").put("graceSeconds", 3));
    assertThat(call(HttpMethod.POST, "/v1/vms/vm1/stop?graceSeconds=-1", TOKEN.value(), null).status())
        .isEqualTo(400);
    assertThat(call(HttpMethod.POST, "/v1/vms/vm1/qmp", TOKEN.value(), "{\"execute\":\"query-status\"}").json())
        .isEqualTo(new JsonObject().put("name", "vm1").put("execute", "query-status"));
    Reply created = call(HttpMethod.POST, "/v1/vms", TOKEN.value(), "{\"name\":\"vm1\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(call(HttpMethod.DELETE, "/v1/vms/vm1", TOKEN.value(), null).status()).isEqualTo(204);
  }

  /**
   * A stop without graceSeconds runs the ladder with the VM's own stopGrace, which the adapter does not know (it may
   * be minutes): it must wait for the bus's answer (the registry bounds it), not answer 503 after its own timeout.
   */
  @Test
  void aStopWithoutGraceWaitsForTheBusBeyondTheRequestTimeout() throws Exception {
    ApiOptions options = ApiOptions.defaults(TOKEN, LogLocator.inStateDir(state))
        .withRequestTimeout(java.time.Duration.ofMillis(200));
    server = Await.result(vertx.createHttpServer().requestHandler(HttpApi.router(vertx, options)).listen(0, "127.0.0.1"));
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.STOP,
        msg -> vertx.setTimer(600, t -> msg.reply(new JsonObject().put("state", "STOPPED")))).completion());
    Reply stopped = call(HttpMethod.POST, "/v1/vms/vm1/stop", TOKEN.value(), null);
    assertThat(stopped.status()).as(stopped.body().toString()).isEqualTo(200);
    assertThat(stopped.json().getString("state")).isEqualTo("STOPPED");
  }

  @Test
  void httpLevelErrorsAreProblemsToo() throws Exception {
    Reply unknown = call(HttpMethod.GET, "/nowhere", null, null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).isEqualTo("application/problem+json");
    assertThat(call(HttpMethod.POST, "/v1/vms/x/explode", TOKEN.value(), null).status()).isEqualTo(404);
    Reply malformed = call(HttpMethod.POST, "/v1/vms", TOKEN.value(), "{not json");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().getJsonArray("violations")).hasSize(1);
    Reply big = call(HttpMethod.POST, "/v1/vms", TOKEN.value(), "{\"name\":\"" + "x".repeat(4096) + "\"}");
    assertThat(big.status()).isEqualTo(413);
    assertThat(big.contentType()).isEqualTo("application/problem+json");
    assertThat(call(HttpMethod.PUT, "/v1/vms", TOKEN.value(), "{}").status()).isIn(404, 405);
  }

  @Test
  void openApiDocumentNamesEveryRoute() throws Exception {
    JsonObject doc = call(HttpMethod.GET, "/v1/openapi.json", TOKEN.value(), null).json();
    assertThat(doc.getString("openapi")).startsWith("3.");
    assertThat(doc.getJsonObject("paths").fieldNames()).contains("/health", "/metrics", "/v1/vms", "/v1/vms/{name}",
        "/v1/vms/{name}/start", "/v1/vms/{name}/stop", "/v1/vms/{name}/kill", "/v1/vms/{name}/pause",
        "/v1/vms/{name}/resume", "/v1/vms/{name}/reset", "/v1/vms/{name}/qmp", "/v1/vms/{name}/log",
        "/v1/events", "/v1/vms/{name}/events", "/v1/openapi.json", "/v1/vms/{name}/console",
        "/v1/vms/{name}/devices", "/v1/vms/{name}/devices/{id}");
  }

  @Test
  void metricsAreOpenOnLoopback() throws Exception {
    Reply metrics = call(HttpMethod.GET, "/metrics", null, null);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body().toString()).isEqualTo("# metrics\n");
  }

  @Test
  void metricsNeedTheTokenFromOtherAddresses() throws Exception {
    InetAddress other = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .findFirst().orElse(null);
    Assumptions.assumeTrue(other != null, "this host has no non-loopback IPv4 address to call /metrics from");
    HttpServer wide = Await.result(vertx.createHttpServer().requestHandler(HttpApi.router(vertx,
        ApiOptions.defaults(TOKEN, LogLocator.inStateDir(state)).withMetrics(() -> Future.succeededFuture("m\n"))))
        .listen(0, "0.0.0.0"));
    try {
      RequestOptions base = new RequestOptions().setMethod(HttpMethod.GET).setHost(other.getHostAddress())
          .setPort(wide.actualPort()).setURI("/metrics");
      int without = Await.result(client.request(base).compose(req -> req.send()).map(r -> r.statusCode()));
      assertThat(without).isEqualTo(401);
      RequestOptions withToken = new RequestOptions(base).putHeader("Authorization", "Bearer " + TOKEN.value());
      int with = Await.result(client.request(withToken).compose(req -> req.send()).map(r -> r.statusCode()));
      assertThat(with).isEqualTo(200);
    } finally {
      Await.result(wide.close());
    }
  }

  @Test
  void eventStreamDeliversPublishedEvents() throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI("/v1/events").putHeader("Authorization", "Bearer " + TOKEN.value());
    StringBuilder received = new StringBuilder();
    Promise<String> frame = Promise.promise();
    Promise<String> contentType = Promise.promise();
    JsonObject event = new JsonObject().put("type", "state").put("vm", "vm1").put("from", "STOPPED")
        .put("to", "STARTING");
    client.request(options).onSuccess(req -> req.send().onSuccess(response -> {
      // set the handler in the callback that sees the response, before any chunk is delivered
      contentType.complete(response.getHeader("Content-Type"));
      response.handler(chunk -> {
        received.append(chunk.toString());
        if (received.toString().contains(": subscribed") && !received.toString().contains("event:")) {
          vertx.eventBus().publish(Addresses.EVENTS, event);
        }
        if (received.toString().contains("data: ")) {
          frame.tryComplete(received.toString());
        }
      });
    }).onFailure(frame::tryFail)).onFailure(frame::tryFail);
    assertThat(Await.result(contentType.future())).isEqualTo("text/event-stream");
    String text = Await.result(frame.future());
    assertThat(text).contains("event: state\ndata: " + event.encode() + "\n\n");
  }

  @Test
  void devicesAndConsoleInputBecomeBusMessages() throws Exception {
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.ATTACH, msg -> msg.reply(msg.body())).completion());
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.DETACH, msg -> msg.reply(msg.body())).completion());
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.CONSOLE_WRITE, msg -> msg.reply(msg.body())).completion());
    JsonObject cpu = new JsonObject().put("kind", "cpu");
    assertThat(call(HttpMethod.POST, "/v1/vms/vm1/devices", TOKEN.value(), cpu.encode()).json())
        .isEqualTo(new JsonObject().put("name", "vm1").put("device", cpu));
    assertThat(call(HttpMethod.DELETE, "/v1/vms/vm1/devices/d1?timeoutSeconds=5", TOKEN.value(), null).json())
        .isEqualTo(new JsonObject().put("name", "vm1").put("id", "d1").put("timeoutSeconds", 5));
    assertThat(call(HttpMethod.DELETE, "/v1/vms/vm1/devices/d1", TOKEN.value(), null).json())
        .isEqualTo(new JsonObject().put("name", "vm1").put("id", "d1"));
    assertThat(call(HttpMethod.POST, "/v1/vms/vm1/console", TOKEN.value(), "{\"data\":\"ls\\n\"}").json())
        .isEqualTo(new JsonObject().put("name", "vm1").put("data", "ls\n"));
    RequestOptions text = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI("/v1/vms/vm1/console").putHeader("Authorization", "Bearer "
            + TOKEN.value()).putHeader("Content-Type", "text/plain; charset=utf-8");
    Buffer echoed = Await.result(client.request(text).compose(req -> req.send("uname\n").compose(r -> r.body())));
    assertThat(echoed.toJsonObject()).isEqualTo(new JsonObject().put("name", "vm1").put("data", "uname\n"));
    assertThat(call(HttpMethod.POST, "/v1/vms/vm1/console", TOKEN.value(), "{\"data\":7}").status()).isEqualTo(400);
  }

  @Test
  void consoleStreamSendsTheHistoryThenEachNewerLiveLineOnceAndFollowsARestartedLog() throws Exception {
    String address = Addresses.console("vm1");
    Promise<JsonObject> readRequest = Promise.promise();
    // lines published while the history is read: one the history has too (10), one it has not (20)
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.CONSOLE_READ, msg -> {
      readRequest.tryComplete(msg.body());
      vertx.eventBus().publish(address, consoleLine("b", 10));
      vertx.eventBus().publish(address, consoleLine("c", 20));
      msg.reply(new JsonObject().put("vm", "vm1").put("next", 20).put("truncated", false).put("lines",
          new JsonArray().add(new JsonObject().put("line", "a").put("offset", 0))
              .add(new JsonObject().put("line", "b").put("offset", 10))));
    }).completion());
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI("/v1/vms/vm1/console?lines=2&after=3")
        .putHeader("Authorization", "Bearer " + TOKEN.value()).putHeader("Last-Event-ID", "5");
    StringBuilder received = new StringBuilder();
    Promise<String> done = Promise.promise();
    Promise<Void> restarted = Promise.promise();
    client.request(options).onSuccess(req -> req.send().onSuccess(response -> {
      response.handler(chunk -> {
        boolean before = received.toString().contains("event: history");
        received.append(chunk.toString());
        if (!before && received.toString().contains("event: history")) {
          // late: a line the history had (the tailer was behind the reader), then a new one
          vertx.eventBus().publish(address, consoleLine("b", 10));
          vertx.eventBus().publish(address, consoleLine("d", 30));
        }
        if (received.toString().contains("\"line\":\"d\"") && restarted.tryComplete()) {
          // QEMU starts again: its log may be rotated, so offsets start over and are not duplicates
          vertx.eventBus().publish(Addresses.events("vm1"), new JsonObject().put("type", "state").put("vm", "vm1")
              .put("from", "STOPPED").put("to", "STARTING"));
          vertx.eventBus().publish(address, consoleLine("e", 0));
        }
        if (received.toString().contains("\"line\":\"e\"")) {
          done.tryComplete(received.toString());
        }
      });
    }).onFailure(done::tryFail)).onFailure(done::tryFail);
    String text = Await.result(done.future());
    assertThat(Await.result(readRequest.future())).isEqualTo(new JsonObject().put("name", "vm1").put("lines", 2)
        .put("after", 5L));
    List<String> ids = text.lines().filter(l -> l.startsWith("id: ")).toList();
    assertThat(ids).containsExactly("id: 0", "id: 10", "id: 20", "id: 30", "id: 0");
    assertThat(text).contains("event: history\ndata: {\"vm\":\"vm1\",\"lines\":2,\"next\":20,\"truncated\":false}");
    assertThat(text.indexOf("event: history")).isBetween(text.indexOf("id: 10"), text.indexOf("id: 20"));
  }

  private static JsonObject consoleLine(String line, long offset) {
    return new JsonObject().put("vm", "vm1").put("line", line).put("offset", offset);
  }
}
