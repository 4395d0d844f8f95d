package io.vmsup.supervisor.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.http.impl.ResponseContract;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP adapter's mapping, against test-only consumers on the bus addresses (the real supervisor is exercised
 * by {@code DaemonIT}): a router on a free loopback port per test, a client, and helpers to answer or fail a bus
 * address. The tests are split by theme into {@code HttpAuthTest}, {@code HttpProblemsTest}, {@code HttpRoutesTest}
 * and {@code HttpStreamsTest}.
 */
abstract class HttpApiTestBase {

  static final AccessToken TOKEN = AccessToken.of("secret-token");

  @TempDir
  Path state;

  Vertx vertx;
  HttpServer server;
  HttpClient client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(
        TimeUnit.MILLISECONDS));
    ApiOptions options = ApiOptions.defaults(TOKEN)
        .withMetrics(() -> Future.succeededFuture("# metrics\n"))
        .withBodyLimit(bodyLimit());
    server = Await.result(vertx.createHttpServer().requestHandler(HttpApi.router(vertx, options)).listen(0, "127.0.0.1"));
    client = vertx.createHttpClient();
  }

  /** How long one call may take before the test gives up on it (a hang guard). */
  java.time.Duration callTimeout() {
    return Await.DEFAULT;
  }

  /** The body limit of the API under test. */
  int bodyLimit() {
    return 2048;
  }

  @AfterEach
  void stop() throws Exception {
    Await.result(client.close());
    Await.result(vertx.close());
  }

  record Reply(int status, String contentType, Buffer body, String authenticate, String allow) {
    JsonObject json() {
      return body.toJsonObject();
    }
  }

  Reply call(HttpMethod method, String path, String token, String body) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI(path);
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    // body() is asked for in the same callback that sees the response: a later stage could miss its end
    Reply reply = Await.result(client.request(options).compose(req -> (body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.getHeader("Content-Type"), b,
            resp.getHeader("WWW-Authenticate"), resp.getHeader("Allow"))))), callTimeout());
    // every answer must be one the OpenAPI document describes
    ResponseContract.check(method.name(), path, reply.status(), reply.contentType(), reply.allow(),
        reply.body().toString());
    return reply;
  }

  void failWith(String address, ErrorCode code, JsonObject body) throws Exception {
    Await.result(vertx.eventBus().consumer(address, msg -> msg.fail(code.code(), body.encode())).completion());
  }

  void replyWith(String address, JsonObject reply) throws Exception {
    Await.result(vertx.eventBus().consumer(address, msg -> msg.reply(reply)).completion());
  }
}
