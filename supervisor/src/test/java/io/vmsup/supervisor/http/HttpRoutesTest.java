package io.vmsup.supervisor.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTTP adapter's routes: each request becomes its bus message; the OpenAPI document names every route. */
class HttpRoutesTest extends HttpApiTestBase {

  /** A VM view as the registry sends it (the replies here must pass the OpenAPI document too). */
  static JsonObject view(String name, String state) {
    return new JsonObject().put("name", name).put("state", state).putNull("reason").put("since",
        "2026-12-06T00:00:00Z").putNull("pid").put("restarts", 0).put("tainted", false).put("persisted", true)
        .put("spec", new JsonObject().put("name", name));
  }

  /** Answers each request on {@code address} with {@code reply} and keeps what it received. */
  java.util.List<JsonObject> answer(String address, JsonObject reply) throws Exception {
    java.util.List<JsonObject> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Await.result(vertx.eventBus().<JsonObject>consumer(address, msg -> {
      seen.add(msg.body());
      msg.reply(reply);
    }).completion());
    return seen;
  }

  @Test
  void requestsBecomeBusMessages() throws Exception {
    java.util.List<JsonObject> stops = answer(Addresses.STOP, view("vm1", "STOPPED").put("steps",
        new io.vertx.core.json.JsonArray().add("powerdown")));
    java.util.List<JsonObject> qmp = answer(Addresses.QMP, new JsonObject().put("return", new JsonObject()));
    replyWith(Addresses.CREATE, view("vm1", "DEFINED"));
    Await.result(vertx.eventBus().consumer(Addresses.DELETE, msg -> msg.reply(new JsonObject())).completion());
    assertThat(call(HttpMethod.POST, "/v1/vms/vm1/stop?graceSeconds=7", TOKEN.value(), null).status()).isEqualTo(200);
    assertThat(call(HttpMethod.POST, "/v1/vms/vm1/stop", TOKEN.value(), "{\"graceSeconds\":3}").status())
        .isEqualTo(200);
    assertThat(stops).containsExactly(new JsonObject().put("name", "vm1").put("graceSeconds", 7),
        new JsonObject().put("name", "vm1").put("graceSeconds", 3));
    assertThat(call(HttpMethod.POST, "/v1/vms/vm1/stop?graceSeconds=-1", TOKEN.value(), null).status())
        .isEqualTo(400);
    assertThat(call(HttpMethod.POST, "/v1/vms/vm1/qmp", TOKEN.value(), "{\"execute\":\"query-status\"}").json())
        .isEqualTo(new JsonObject().put("return", new JsonObject()));
    assertThat(qmp).containsExactly(new JsonObject().put("name", "vm1").put("execute", "query-status"));
    Reply created = call(HttpMethod.POST, "/v1/vms", TOKEN.value(), "{\"name\":\"vm1\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(call(HttpMethod.DELETE, "/v1/vms/vm1", TOKEN.value(), null).status()).isEqualTo(204);
    assertThat(stops).hasSize(2);
  }

  /**
   * The body is read as text in the Content-Type's charset when it names one, else as UTF-8 (issue 15 reads a
   * Content-Type without parameters without parsing it): the same command arrives either way.
   */
  @Test
  void aBodyIsDecodedInItsDeclaredCharsetOrElseUtf8() throws Exception {
    java.util.List<JsonObject> qmp = answer(Addresses.QMP, new JsonObject().put("return", new JsonObject()));
    String command = "{\"execute\":\"qu\u00e9ry-status\"}";
    assertThat(raw("application/json", command.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(200);
    assertThat(raw("application/json; charset=ISO-8859-1",
        command.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).isEqualTo(200);
    assertThat(raw("application/json;charset=utf-8", command.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo(200);

    assertThat(qmp).extracting(j -> j.getString("execute")).containsExactly("qu\u00e9ry-status", "qu\u00e9ry-status",
        "qu\u00e9ry-status");
  }

  private int raw(String contentType, byte[] body) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI("/v1/vms/vm1/qmp").putHeader("Authorization", "Bearer " + TOKEN.value())
        .putHeader("Content-Type", contentType);
    // body() in the callback that sees the response, as HttpApiTestBase.call does: asked for in a later stage, the
    // body could have ended already and the future never completes (CI: "future not complete within PT1M")
    return Await.result(client.request(options).compose(req -> req.send(Buffer.buffer(body))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))));
  }

  /**
   * A stop without graceSeconds runs the ladder with the VM's own stopGrace, which the adapter does not know (it may
   * be minutes): it must wait for the bus's answer (the registry bounds it), not answer 503 after its own timeout.
   */
  @Test
  void aStopWithoutGraceWaitsForTheBusBeyondTheRequestTimeout() throws Exception {
    ApiOptions options = ApiOptions.defaults(TOKEN)
        .withRequestTimeout(java.time.Duration.ofMillis(200));
    server = Await.result(vertx.createHttpServer().requestHandler(HttpApi.router(vertx, options)).listen(0, "127.0.0.1"));
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.STOP,
        msg -> vertx.setTimer(600, t -> msg.reply(view("vm1", "STOPPED")))).completion());
    Reply stopped = call(HttpMethod.POST, "/v1/vms/vm1/stop", TOKEN.value(), null);
    assertThat(stopped.status()).as(stopped.body().toString()).isEqualTo(200);
    assertThat(stopped.json().getString("state")).isEqualTo("STOPPED");
  }

  @Test
  void aReplaceCarriesTheStrongTagsOfEveryIfMatchLineAndTheGetItsETag() throws Exception {
    List<JsonObject> replaced = answer(Addresses.REPLACE, view("vm1", "STOPPED").put("specVersion", "b2"));
    replyWith(Addresses.GET, view("vm1", "STOPPED").put("specVersion", "a1"));
    RequestOptions put = new RequestOptions().setMethod(HttpMethod.PUT).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI("/v1/vms/vm1").putHeader("Authorization", "Bearer " + TOKEN.value())
        .putHeader("Content-Type", "application/json").addHeader("If-Match", "\"a1\", W/\"w\"")
        .addHeader("If-Match", "\"a0\"");
    String etag = Await.result(client.request(put).compose(req -> req.send("{\"name\":\"vm1\"}")
        .compose(resp -> resp.body().map(b -> resp.statusCode() + " " + resp.getHeader("ETag")))));
    assertThat(etag).isEqualTo("200 \"b2\"");
    assertThat(replaced).containsExactly(new JsonObject().put("name", "vm1").put("spec",
        new JsonObject().put("name", "vm1")).put("ifMatch", new io.vertx.core.json.JsonArray().add("a1").add("a0")));
    RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI("/v1/vms/vm1").putHeader("Authorization", "Bearer " + TOKEN.value());
    String tag = Await.result(client.request(get).compose(HttpClientRequest::send)
        .map(resp -> resp.getHeader("ETag")));
    assertThat(tag).isEqualTo("\"a1\"");
  }

  @Test
  void devicesAndConsoleInputBecomeBusMessages() throws Exception {
    JsonObject change = new JsonObject().put("name", "vm1").put("id", "d1").put("kind", "disk").put("live", false)
        .put("steps", new io.vertx.core.json.JsonArray());
    java.util.List<JsonObject> attached = answer(Addresses.ATTACH, change);
    java.util.List<JsonObject> detached = answer(Addresses.DETACH, change);
    java.util.List<JsonObject> written = answer(Addresses.CONSOLE_WRITE, new JsonObject().put("name", "vm1")
        .put("bytes", 3));
    JsonObject cpu = new JsonObject().put("kind", "cpu");
    assertThat(call(HttpMethod.POST, "/v1/vms/vm1/devices", TOKEN.value(), cpu.encode()).status()).isEqualTo(200);
    assertThat(attached).containsExactly(new JsonObject().put("name", "vm1").put("device", cpu));
    assertThat(call(HttpMethod.DELETE, "/v1/vms/vm1/devices/d1?timeoutSeconds=5", TOKEN.value(), null).status())
        .isEqualTo(200);
    assertThat(call(HttpMethod.DELETE, "/v1/vms/vm1/devices/d1", TOKEN.value(), null).status()).isEqualTo(200);
    assertThat(detached).containsExactly(new JsonObject().put("name", "vm1").put("id", "d1").put("timeoutSeconds", 5),
        new JsonObject().put("name", "vm1").put("id", "d1"));
    assertThat(call(HttpMethod.POST, "/v1/vms/vm1/console", TOKEN.value(), "{\"data\":\"ls\\n\"}").status())
        .isEqualTo(200);
    RequestOptions text = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI("/v1/vms/vm1/console").putHeader("Authorization", "Bearer "
            + TOKEN.value()).putHeader("Content-Type", "text/plain; charset=utf-8");
    Buffer echoed = Await.result(client.request(text).compose(req -> req.send("uname\n").compose(r -> r.body())));
    assertThat(echoed.toJsonObject()).isEqualTo(new JsonObject().put("name", "vm1").put("bytes", 3));
    assertThat(written).containsExactly(new JsonObject().put("name", "vm1").put("data", "ls\n"),
        new JsonObject().put("name", "vm1").put("data", "uname\n"));
    assertThat(call(HttpMethod.POST, "/v1/vms/vm1/console", TOKEN.value(), "{\"data\":7}").status()).isEqualTo(400);
  }

  @Test
  void openApiDocumentNamesEveryRoute() throws Exception {
    JsonObject doc = call(HttpMethod.GET, "/v1/openapi.json", TOKEN.value(), null).json();
    assertThat(doc.getString("openapi")).startsWith("3.");
    assertThat(doc.getJsonObject("paths").fieldNames()).contains("/health", "/metrics", "/v1/vms", "/v1/vms/{name}",
        "/v1/vms/{name}/start", "/v1/vms/{name}/stop", "/v1/vms/{name}/kill", "/v1/vms/{name}/pause",
        "/v1/vms/{name}/resume", "/v1/vms/{name}/reset", "/v1/vms/{name}/qmp", "/v1/vms/{name}/log",
        "/v1/events", "/v1/vms/{name}/events", "/v1/openapi.json", "/v1/vms/{name}/console",
        "/v1/vms/{name}/devices", "/v1/vms/{name}/devices/{id}", "/v1/schema/vm-spec.json");
  }

  /** The VM spec's schema is served from docs/schema/vm-spec.json, and the OpenAPI document refers to it there. */
  @Test
  void theVmSpecSchemaIsServedAndReferencedByTheOpenApiDocument() throws Exception {
    Reply schema = call(HttpMethod.GET, "/v1/schema/vm-spec.json", TOKEN.value(), null);
    assertThat(schema.status()).isEqualTo(200);
    assertThat(schema.contentType()).isEqualTo("application/schema+json");
    assertThat(schema.json()).isEqualTo(new JsonObject(java.nio.file.Files.readString(
        java.nio.file.Path.of("..", "docs", "schema", "vm-spec.json"))));
    assertThat(schema.json().getString("$schema")).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    JsonObject doc = call(HttpMethod.GET, "/v1/openapi.json", TOKEN.value(), null).json();
    String ref = doc.getJsonObject("components").getJsonObject("schemas").getJsonObject("VmSpec").getString("$ref");
    // relative to the document's own URL /v1/openapi.json
    assertThat(java.net.URI.create("http://h/v1/openapi.json").resolve(ref).getPath())
        .isEqualTo("/v1/schema/vm-spec.json");
  }
}
