package io.vmsup.supervisor.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is the contract the edge enforces: requests it does not allow never reach the bus (unknown
 * fields, unknown query parameters and wrong types are 400 with their paths), every request schema is closed, every
 * documented operation is routed and every route documented, undocumented methods are 405 with {@code Allow}, and
 * {@code servers} names the address the document was fetched from. (Every response the HTTP tests get is checked
 * against the document by {@code HttpApiTestBase.call}.)
 */
class HttpContractTest extends HttpApiTestBase {

  private JsonObject document() throws Exception {
    return call(HttpMethod.GET, "/v1/openapi.json", TOKEN.value(), null).json();
  }

  @Test
  void unknownFieldsAndWrongTypesAre400WithTheirPathsAndNeverReachTheBus() throws Exception {
    AtomicInteger stops = new AtomicInteger();
    Await.result(vertx.eventBus().consumer(Addresses.STOP, msg -> stops.incrementAndGet()).completion());
    assertViolation(call(HttpMethod.POST, "/v1/vms/vm1/stop", TOKEN.value(), "{\"grace\":\"abc\"}"), "grace",
        "unknown field; allowed: graceSeconds");
    assertViolation(call(HttpMethod.POST, "/v1/vms/vm1/stop", TOKEN.value(), "{\"graceSeconds\":\"abc\"}"),
        "graceSeconds", "must be an integer, not a string");
    assertViolation(call(HttpMethod.POST, "/v1/vms/vm1/stop", TOKEN.value(), "{\"graceSeconds\":1.5}"),
        "graceSeconds", "must be an integer, not a number");
    assertViolation(call(HttpMethod.POST, "/v1/vms/vm1/stop?graceSeconds=abc", TOKEN.value(), null),
        "graceSeconds", "must be an integer, not a string");
    assertViolation(call(HttpMethod.POST, "/v1/vms/vm1/stop?grace=5", TOKEN.value(), null), "grace",
        "unknown query parameter; allowed: graceSeconds");
    assertViolation(call(HttpMethod.POST, "/v1/vms/vm1/stop?graceSeconds=1&graceSeconds=2", TOKEN.value(), null),
        "graceSeconds", "is given 2 times; give it once");
    assertViolation(call(HttpMethod.POST, "/v1/vms/vm1/start", TOKEN.value(), "{\"force\":true}"), "force",
        "unknown field (this takes no fields)");
    assertViolation(call(HttpMethod.POST, "/v1/vms/vm1/qmp", TOKEN.value(), "{\"execute\":7}"), "execute",
        "must be a string, not a number");
    assertViolation(call(HttpMethod.POST, "/v1/vms/vm1/qmp", TOKEN.value(), "{}"), "execute", "is required");
    // the pass-through's route comes first among the resources (issue 15): its query is still checked
    assertViolation(call(HttpMethod.POST, "/v1/vms/vm1/qmp?timeoutMs=5", TOKEN.value(),
        "{\"execute\":\"query-status\"}"), "timeoutMs", "unknown query parameter: this request takes none");
    assertViolation(call(HttpMethod.POST, "/v1/vms/vm1/qmp?&", TOKEN.value(), "{\"execute\":1}"), "execute",
        "must be a string, not a number");
    assertViolation(call(HttpMethod.GET, "/v1/vms?all=1", TOKEN.value(), null), "all",
        "unknown query parameter; allowed: labels");
    assertViolation(call(HttpMethod.GET, "/v1/hosts?all=1", TOKEN.value(), null), "all",
        "unknown query parameter: this request takes none");
    assertViolation(call(HttpMethod.GET, "/v1/vms/vm1", TOKEN.value(), "{}"), "", "this request takes no body");
    // a VM spec is explained by config-model (which names what is allowed)
    assertViolation(call(HttpMethod.POST, "/v1/vms", TOKEN.value(), "{\"name\":\"a\",\"colour\":1}"), "colour",
        "unknown field; allowed: bios, cloudInit, cpu, devices, ");
    assertViolation(call(HttpMethod.POST, "/v1/vms/vm1/devices", TOKEN.value(), "{\"kind\":\"disk\",\"id\":\"d\","
        + "\"file\":\"/d\",\"cahce\":\"none\"}"), "cahce", "unknown field; allowed: addr, aio, bootIndex, bus, cache,");
    Reply text = call(HttpMethod.POST, "/v1/vms/vm1/stop", TOKEN.value(), "{\"graceSeconds\":");
    assertThat(text.status()).isEqualTo(400);
    assertThat(text.json().getString("detail")).contains("line 1");
    assertThat(stops).hasValue(0);
  }

  /** Generated from the document: each operation's example body passes the edge, and with one more field fails it. */
  @Test
  void everyOperationTakesItsExampleAndRefusesAnUnknownField() throws Exception {
    List<String> checked = new ArrayList<>();
    JsonObject paths = document().getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        JsonObject op = paths.getJsonObject(path).getValue(method) instanceof JsonObject o ? o : null;
        JsonObject media = op == null || op.getJsonObject("requestBody") == null ? null : op
            .getJsonObject("requestBody").getJsonObject("content").getJsonObject("application/json");
        if (media == null) {
          continue;
        }
        assertThat(media.getValue("example")).as("%s %s: its JSON body needs an example", method, path)
            .isInstanceOf(JsonObject.class);
        String uri = path.replaceAll("\\{[^}]+}", "vm1");
        HttpMethod m = HttpMethod.valueOf(method.toUpperCase(Locale.ROOT));
        Reply good = call(m, uri, TOKEN.value(), media.getJsonObject("example").encode());
        assertThat(good.status()).as("%s %s with its example: %s", method, path, good.body()).isNotEqualTo(400);
        JsonObject bad = media.getJsonObject("example").copy().put("zzUnknown", 1);
        assertViolation(call(m, uri, TOKEN.value(), bad.encode()), "zzUnknown", "unknown field");
        checked.add(op.getString("operationId"));
      }
    }
    assertThat(checked).contains("createVm", "stopVm", "startVm", "qmp", "consoleWrite", "attachDevice");
  }

  @Test
  void everyRequestSchemaOfTheDocumentIsClosed() throws Exception {
    JsonObject doc = document();
    List<String> open = new ArrayList<>();
    JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (paths.getJsonObject(path).getValue(method) instanceof JsonObject op && op.getJsonObject("requestBody")
            != null) {
          JsonObject content = op.getJsonObject("requestBody").getJsonObject("content");
          for (String type : content.fieldNames()) {
            closed(schemas, content.getJsonObject(type).getJsonObject("schema"), method + " " + path, open, 0);
          }
        }
      }
    }
    assertThat(open).as("request schemas must say additionalProperties (false, or true for free-form data)")
        .isEmpty();
  }

  private static void closed(JsonObject schemas, JsonObject s, String where, List<String> open, int depth) {
    if (s == null || depth > 10) {
      return;
    }
    String ref = s.getString("$ref");
    if (ref != null && ref.startsWith("#/components/schemas/")) {
      String name = ref.substring("#/components/schemas/".length());
      closed(schemas, schemas.getJsonObject(name), where + " → " + name, open, depth + 1);
      return;
    }
    if (ref != null) {
      return; // the VM spec schema: VmSpecSchemaTest
    }
    if (("object".equals(s.getValue("type")) || s.containsKey("properties")) && !s.containsKey("additionalProperties")) {
      open.add(where);
    }
    if (s.getValue("properties") instanceof JsonObject props) {
      props.fieldNames().forEach(p -> closed(schemas, props.getJsonObject(p), where + "." + p, open, depth + 1));
    }
    if (s.getValue("items") instanceof JsonObject items) {
      closed(schemas, items, where + "[]", open, depth + 1);
    }
    for (String combinator : List.of("anyOf", "oneOf", "allOf")) {
      if (s.getValue(combinator) instanceof JsonArray options) {
        for (int i = 0; i < options.size(); i++) {
          closed(schemas, options.getJsonObject(i), where + "/" + combinator + i, open, depth + 1);
        }
      }
    }
  }

  @Test
  void undocumentedPathsAre404AndUndocumentedMethods405WithAllow() throws Exception {
    assertThat(call(HttpMethod.GET, "/v1/nothing", TOKEN.value(), null).status()).isEqualTo(404);
    assertThat(call(HttpMethod.POST, "/v1/vms/vm1/explode", TOKEN.value(), null).status()).isEqualTo(404);
    Reply put = call(HttpMethod.PUT, "/v1/vms/vm1/start", TOKEN.value(), "{}");
    assertThat(put.status()).isEqualTo(405);
    assertThat(put.allow()).isEqualTo("POST");
    Reply patch = call(HttpMethod.PATCH, "/v1/vms", TOKEN.value(), null);
    assertThat(patch.status()).isEqualTo(405);
    assertThat(patch.allow()).isEqualTo("GET, POST");
    Reply health = call(HttpMethod.POST, "/health", null, null);
    assertThat(health.status()).isEqualTo(405);
    assertThat(health.allow()).isEqualTo("GET");
  }

  @Test
  void serversNamesTheAddressTheDocumentWasFetchedFrom() throws Exception {
    JsonArray servers = document().getJsonArray("servers");
    assertThat(servers).hasSize(1);
    assertThat(servers.getJsonObject(0).getString("url")).isEqualTo("http://127.0.0.1:" + server.actualPort());
  }

  /** Both ways: a documented operation that no route serves, or a route the document does not name, fails here. */
  @Test
  void everyDocumentedOperationIsRoutedAndEveryRouteIsDocumented() throws Exception {
    JsonObject paths = document().getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (!(paths.getJsonObject(path).getValue(method) instanceof JsonObject op) || path.startsWith("/eventbus")
            || op.getJsonObject("responses").getJsonObject("200") != null && op.getJsonObject("responses")
            .getJsonObject("200").getJsonObject("content", new JsonObject()).containsKey("text/event-stream")) {
          continue; // the bridge (off here) and the event streams (which stay open) have their own tests
        }
        String uri = path.replaceAll("\\{[^}]+}", "vm1");
        JsonObject media = op.getJsonObject("requestBody") == null ? null : op.getJsonObject("requestBody")
            .getJsonObject("content").getJsonObject("application/json");
        Reply r = call(HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)), uri, TOKEN.value(), media == null ? null
            : media.getJsonObject("example").encode());
        boolean unrouted = r.status() == 405 || r.status() == 404 && r.body().toString().contains("no route");
        assertThat(unrouted).as("%s %s is documented but not routed: %s", method, path, r.body()).isFalse();
      }
    }
    Router router = HttpApi.router(vertx, ApiOptions.defaults(TOKEN)
        .withMetrics(() -> io.vertx.core.Future.succeededFuture("")));
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (path == null || path.endsWith("/") || path.startsWith("/eventbus") || route.methods() == null) {
        continue; // catch-all handlers (auth, body, the contract guard)
      }
      String template = path.replaceAll(":([A-Za-z]+)", "{$1}");
      for (HttpMethod m : route.methods()) {
        assertThat(paths.getJsonObject(template)).as("route %s %s is not in docs/openapi.json", m, template)
            .isNotNull();
        assertThat(paths.getJsonObject(template).getValue(m.name().toLowerCase(Locale.ROOT)))
            .as("route %s %s is not in docs/openapi.json", m, template).isNotNull();
      }
    }
  }

  @Test
  void everyProblemCodeTheServerSendsIsInTheDocument() throws Exception {
    JsonArray codes = document().getJsonObject("components").getJsonObject("schemas").getJsonObject("Problem")
        .getJsonObject("properties").getJsonObject("code").getJsonArray("enum");
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(codes).as("Problem.code in docs/openapi.json").contains(code.name());
    }
    assertThat(codes).contains("UNAUTHORIZED", "METHOD_NOT_ALLOWED", "TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE",
        "TOO_MANY_REQUESTS");
  }

  private static void assertViolation(Reply reply, String path, String message) {
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(400);
    assertThat(reply.contentType()).isEqualTo("application/problem+json");
    JsonArray violations = reply.json().getJsonArray("violations");
    assertThat(violations).as(reply.body().toString()).anySatisfy(v -> {
      assertThat(((JsonObject) v).getString("path")).isEqualTo(path);
      assertThat(((JsonObject) v).getString("message")).startsWith(message);
    });
  }
}
