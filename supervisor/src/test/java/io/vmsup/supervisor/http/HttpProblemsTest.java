package io.vmsup.supervisor.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import org.junit.jupiter.api.Test;

/** The HTTP adapter's failures: bus failure codes and HTTP-level errors become problem documents. */
class HttpProblemsTest extends HttpApiTestBase {

  @Test
  void invalidSpecListsEveryViolation() throws Exception {
    JsonArray violations = new JsonArray()
        .add(new JsonObject().put("path", "name").put("message", "must not be empty"))
        .add(new JsonObject().put("path", "devices[2].file").put("message", "must be absolute"));
    failWith(Addresses.CREATE, ErrorCode.INVALID, new JsonObject().put("code", 400).put("error", "invalid")
        .put("message", "2 problems").put("violations", violations));
    // a spec the contract takes, so that it reaches the bus, whose verdict this is
    Reply reply = call(HttpMethod.POST, "/v1/vms", TOKEN.value(), "{\"name\":\"vm1\"}");
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
}
