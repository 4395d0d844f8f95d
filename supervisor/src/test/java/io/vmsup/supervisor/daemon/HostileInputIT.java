package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile request bodies against a real daemon over a raw connection (bodies exactly as written, no client in
 * between): every one is a 400 problem that says what is wrong and where, never a 500 or a parser's internals.
 */
class HostileInputIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private DaemonFixture daemon;
  private RawHttp http;

  @BeforeEach
  void start() throws Exception {
    daemon = daemons.start();
    http = daemons.closeAfter(RawHttp.open(daemon.daemon.url(), "127.0.0.1"));
  }

  private JsonObject problem(String method, String path, String body) throws Exception {
    RawHttp.Response r = http.request(method, path, daemon.daemon.token().value(), body);
    assertThat(r.status()).as(method + " " + path + " " + body + " -> " + r.body()).isEqualTo(400);
    assertThat(r.headers().get("content-type")).isEqualTo("application/problem+json");
    JsonObject p = new JsonObject(r.body());
    assertThat(p.getString("detail")).doesNotContain("Exception").doesNotContain("Source").doesNotContain("jackson")
        .doesNotContain("null");
    return p;
  }

  private static String violation(JsonObject problem) {
    JsonObject v = problem.getJsonArray("violations").getJsonObject(0);
    return v.getString("path") + ": " + v.getString("message");
  }

  @Test
  void anEmptyBodyIsA400ThatAsksForAJsonObjectOnEveryBodyRoute() throws Exception {
    for (String path : List.of("/v1/vms", "/v1/vms/x/qmp", "/v1/vms/x/console", "/v1/vms/x/devices")) {
      assertThat(problem("POST", path, null).getString("detail")).isEqualTo("a JSON object body is required");
      assertThat(problem("POST", path, "").getString("detail")).isEqualTo("a JSON object body is required");
      assertThat(problem("POST", path, "  \n").getString("detail")).isEqualTo("a JSON object body is required");
    }
  }

  @Test
  void jsonThatOnlyALenientParserTakesIsRefusedWithLineAndColumn() throws Exception {
    assertThat(problem("POST", "/v1/vms", "{\"name\": \"a\", \"name\": \"b\"}").getString("detail"))
        .isEqualTo("invalid JSON at line 1, column 21: duplicate key \"name\"");
    assertThat(problem("POST", "/v1/vms", "{\"name\": /* x */ \"a\"}").getString("detail"))
        .endsWith("comments are not allowed");
    assertThat(problem("POST", "/v1/vms", "{\"name\": \"a\"} trailing").getString("detail"))
        .endsWith("unexpected text after the JSON value");
    assertThat(problem("POST", "/v1/vms/x/qmp", "[1]").getString("detail"))
        .isEqualTo("must be an object, not an array");
    assertThat(problem("POST", "/v1/vms/x/stop", "{\"graceSeconds\": 1,}").getString("detail"))
        .endsWith("(a trailing comma?)");
  }

  @Test
  void numbersAreReportedAsNumbers() throws Exception {
    assertThat(violation(problem("POST", "/v1/vms", "{\"name\": \"a\", \"memory\": {\"size\": -1}}")))
        .isEqualTo("memory.size: must be >= 0 (a size in bytes), not -1");
    assertThat(violation(problem("POST", "/v1/vms", "{\"name\": \"a\", \"memory\": {\"size\": 1e400}}")))
        .startsWith("memory.size: number out of range");
    assertThat(violation(problem("POST", "/v1/vms/x/stop", "{\"graceSeconds\": -1}")))
        .isEqualTo("graceSeconds: must be at least 0, not -1");
    assertThat(violation(problem("POST", "/v1/vms/x/stop", "{\"graceSeconds\": 1e400}")))
        .isEqualTo("graceSeconds: must be at most 2147483647, not a number that large");
    // a whole number written with a fraction is a whole number: it passes the edge (and VM x does not exist)
    assertThat(http.request("POST", "/v1/vms/x/stop", daemon.daemon.token().value(), "{\"graceSeconds\": 3.0}")
        .status()).isEqualTo(404);
    assertThat(violation(problem("POST", "/v1/vms/x/stop", "{\"graceSeconds\": 2.5}")))
        .isEqualTo("graceSeconds: must be an integer, not a number");
    assertThat(violation(problem("POST", "/v1/vms/x/stop", "{\"graceSeconds\": \"abc\"}")))
        .isEqualTo("graceSeconds: must be an integer, not a string");
    assertThat(violation(problem("POST", "/v1/vms/x/stop?graceSeconds=-5", null)))
        .isEqualTo("graceSeconds: must be at least 0, not -5");
  }

  @Test
  void unknownFieldsAreRefusedNotIgnored() throws Exception {
    assertThat(violation(problem("POST", "/v1/vms/x/stop", "{\"grace\": \"abc\"}")))
        .isEqualTo("grace: unknown field; allowed: graceSeconds");
    assertThat(violation(problem("POST", "/v1/vms/x/start", "{\"force\": true}")))
        .startsWith("force: unknown field");
    assertThat(violation(problem("POST", "/v1/vms/x/qmp", "{\"execute\": \"stop\", \"id\": 1}")))
        .startsWith("id: unknown field");
    assertThat(violation(problem("POST", "/v1/vms/x/qmp", "{\"execute\": \"stop\", \"arguments\": [1]}")))
        .isEqualTo("arguments: must be an object, not an array");
    assertThat(violation(problem("POST", "/v1/vms/x/console", "{\"data\": \"x\", \"echo\": 1}")))
        .startsWith("echo: unknown field");
    assertThat(violation(problem("POST", "/v1/vms", "{\"name\": \"a\", \"colour\": \"red\"}")))
        .startsWith("colour: ");
  }
}
