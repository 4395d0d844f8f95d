package io.vmsup.supervisor.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.JsonSyntaxException;
import io.vmsup.config.StrictJson;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import io.vmsup.qmp.testing.Fuzz;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property-based fuzzing of the HTTP body handling over a real socket, bounded by tries: any body on any body route
 * is answered 2xx (what reached the bus is exactly what the strict reader makes of it), 400, 413 or 415 with a
 * problem that names no parser internals; never a 500.
 */
class HttpBodyFuzzTest {

  private static final AccessToken TOKEN = AccessToken.of("fuzz-token");
  private static final List<String> ROUTES = List.of("/v1/vms", "/v1/vms/a/qmp", "/v1/vms/a/console",
      "/v1/vms/a/devices", "/v1/vms/a/stop", "/v1/vms/a/start");

  private static Vertx vertx;
  private static HttpServer server;
  private static final Map<String, Object> LAST = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    for (String address : List.of(Addresses.CREATE, Addresses.QMP, Addresses.CONSOLE_WRITE, Addresses.ATTACH,
        Addresses.STOP, Addresses.START)) {
      Await.result(vertx.eventBus().<JsonObject>consumer(address, msg -> {
        LAST.put(address, msg.body());
        msg.reply(new JsonObject().put("name", "a"));
      }).completion());
    }
    Path state = Files.createTempDirectory("fuzz");
    ApiOptions options = ApiOptions.defaults(TOKEN).withBodyLimit(4096);
    server = Await.result(vertx.createHttpServer().requestHandler(HttpApi.router(vertx, options)).listen(0,
        "127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  private static final String JSONISH = "{}[]\":,0123456789.-eE \n\t/*'\\unlltrfaxé\u0000";
  private static final List<String> KEYS = List.of("execute", "arguments", "data", "graceSeconds", "name", "kind",
      "id", "x");
  private static final List<String> VALUES = List.of("1", "-1", "1e400", "2.5", "\"s\"", "null", "{}", "[]", "true",
      "\"" + "y".repeat(5000) + "\"");

  /** A body and the index of the route it is sent to. */
  record Post(String body, int route) {
  }

  private static String body(Random random) {
    return switch (random.nextInt(3)) {
      case 0 -> Fuzz.string(random, JSONISH, 40);
      case 1 -> "{\"" + Fuzz.oneOf(random, KEYS) + "\": " + Fuzz.oneOf(random, VALUES) + "}";
      default -> Fuzz.anyString(random, 30);
    };
  }

  @Test
  void anyBodyIsAnsweredTruthfullyAndNeverWithA500() {
    Fuzz.forAll(300, random -> new Post(body(random), random.nextInt(ROUTES.size())),
        post -> Fuzz.shrinkString(post.body()).map(b -> new Post(b, post.route())), HttpBodyFuzzTest::post);
  }

  private static void post(Post post) {
    String body = post.body();
    int route = post.route();
    String path = ROUTES.get(route);
    // a blocking JDK client, a connection per request: the Vert.x client hung now and then under load (a request
    // never completed within a minute, the same body answered at once when sent again), so the test's own client is
    // kept out of the question; a server that does not answer still fails the read timeout
    LAST.clear();
    int[] status = new int[1];
    String reply;
    try {
      reply = postBlocking(path, body, status);
    } catch (java.io.IOException e) {
      throw new AssertionError("POST " + path + " " + body + ": " + e, e);
    }
    assertThat(status[0]).as(path + " " + body + " -> " + reply).isIn(200, 201, 400, 413, 415);
    if (status[0] >= 400) {
      JsonObject problem = new JsonObject(reply);
      assertThat(problem.getString("detail")).doesNotContain("Exception").doesNotContain("jackson")
          .doesNotContain("Source");
      return;
    }
    if (body.isBlank() && (path.endsWith("/stop") || path.endsWith("/start"))) {
      return; // the action routes take no body at all
    }
    Map<String, Object> parsed;
    try {
      parsed = StrictJson.parseObject(body);
    } catch (JsonSyntaxException e) {
      throw new AssertionError("accepted what the strict reader refuses: " + body, e);
    }
    if (path.equals("/v1/vms")) {
      assertThat(LAST.get(Addresses.CREATE)).isEqualTo(new JsonObject(parsed));
    }
  }

  private static String postBlocking(String path, String body, int[] status) throws java.io.IOException {
    java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create("http://127.0.0.1:"
        + server.actualPort() + path).toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setConnectTimeout(10_000);
    c.setReadTimeout(60_000);
    c.setRequestProperty("Authorization", "Bearer " + TOKEN.value());
    c.setRequestProperty("Content-Type", "application/json");
    c.setRequestProperty("Connection", "close");
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    c.setFixedLengthStreamingMode(bytes.length);
    try (java.io.OutputStream out = c.getOutputStream()) {
      out.write(bytes);
    }
    status[0] = c.getResponseCode();
    java.io.InputStream in = status[0] >= 400 ? c.getErrorStream() : c.getInputStream();
    try {
      return in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }
}
