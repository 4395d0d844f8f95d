package io.vmsup.supervisor.http.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/**
 * The edge's shortcuts check exactly what the OpenAPI document's validator checks: a compiled schema ({@link
 * FastSchema}) accepts only values the validator accepts, for every parameter and body schema of every operation over
 * a corpus of hostile values; the hot request's schemas (a VM name, a QMP command) do compile; the operation lookup
 * without a regex matches exactly the paths (and variables) the templates' patterns match.
 */
class ContractFastPathTest {

  private static final String[] BODIES = {"{\"execute\":\"query-status\"}", "{\"execute\":\"\"}",
      "{\"execute\":null}", "{\"execute\":1}", "{\"execute\":true}", "{\"execute\":[\"x\"]}", "{}", "[]", "\"x\"",
      "1", "null", "true", "{\"execute\":\"x\",\"arguments\":{}}", "{\"execute\":\"x\",\"arguments\":null}",
      "{\"execute\":\"x\",\"arguments\":[]}", "{\"execute\":\"x\",\"arguments\":\"a\"}",
      "{\"execute\":\"x\",\"arguments\":{\"a\":[1,{\"b\":null}],\"c\":1.5,\"d\":1e400}}",
      "{\"execute\":\"x\",\"extra\":1}", "{\"arguments\":{}}", "{\"execute\":\"\\ud83d\\ude00\"}",
      "{\"execute\":\"x\",\"id\":\"y\"}", "{\"graceSeconds\":5}", "{\"graceSeconds\":\"5\"}", "{\"graceSeconds\":-1}",
      "{\"name\":\"a\"}", "{\"name\":\"\"}", "{\"data\":\"ls\\n\"}", "{\"data\":1}", "{\"kind\":\"cpu\"}",
      "{\"id\":\"d0\",\"timeoutSeconds\":1}", "{\"name\":\"n\",\"subnet\":\"10.0.0.0/24\"}", "{\"path\":\"/x\"}",
      "{\"name\":\"s\",\"memory\":true}", "{\"size\":\"1G\"}", "{\"execute\":\"x\",\"arguments\":{\"execute\":1}}"};
  private static final Object[] PARAMS = {"a0", "", "x/y", "\ud83d\ude00", "-1", "0", "1", "true", "false",
      "2147483648", "a=b", "a=b,c=d", "=", "x".repeat(300), java.math.BigInteger.ONE, Boolean.TRUE};

  @Test
  void aCompiledSchemaAcceptsOnlyWhatTheValidatorAccepts() {
    ApiContract c = ApiContract.get();
    List<Object> values = new ArrayList<>(List.of(PARAMS));
    for (String b : BODIES) {
      Object parsed = StrictJson.parse(b);
      Object normal = WholeNumbers.normalise(parsed);
      values.add(normal instanceof Map<?, ?> m ? new JsonObject(cast(m)) : normal instanceof List<?> l
          ? new JsonArray(l) : normal);
    }
    int checked = 0;
    for (ContractOperation op : c.operations()) {
      List<JsonObject> schemas = new ArrayList<>(op.body().values());
      op.params().forEach(p -> schemas.add(p.schema()));
      for (JsonObject schema : schemas) {
        for (Object v : values) {
          if (c.accepts(schema, v)) {
            checked++;
            assertThat(c.validator("test " + op.id() + schema.hashCode(), schema).validate(v).getValid())
                .as("%s: %s accepted %s", op.id(), schema.encode(), v).isTrue();
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(100);
  }

  @Test
  void theHotRequestsSchemasCompileAndRefuseWhatTheyMust() {
    ApiContract c = ApiContract.get();
    ContractOperation qmp = c.operations().stream().filter(o -> o.id().equals("qmp")).findFirst().orElseThrow();
    JsonObject body = qmp.body().get("application/json");
    assertThat(c.accepts(body, new JsonObject().put("execute", "query-status"))).isTrue();
    assertThat(c.accepts(body, new JsonObject().put("execute", "x").put("arguments", new JsonObject()
        .put("a", new JsonArray().add(1))))).isTrue();
    assertThat(c.accepts(body, new JsonObject().put("execute", ""))).isFalse();
    assertThat(c.accepts(body, new JsonObject().put("execute", "x").put("other", 1))).isFalse();
    assertThat(c.accepts(body, new JsonObject().put("execute", "x").put("arguments", "a"))).isFalse();
    assertThat(c.accepts(body, new JsonObject())).isFalse();
    ContractOperation.Param name = qmp.params("path").get(0);
    assertThat(c.accepts(name.schema(), "a0")).isTrue();
    assertThat(c.accepts(name.schema(), 1)).isFalse();
  }

  @Test
  void templatesMatchWithoutARegexExactlyAsTheirPatterns() {
    ApiContract c = ApiContract.get();
    List<String> paths = new ArrayList<>(List.of("/", "", "/v1", "/v1/", "/v1/vms", "/v1/vms/", "/v1/vms//qmp",
        "/v1/vms/a/qmp/", "//v1/vms", "/v1/vms/a.b/qmp", "/v1/vms/a%2Fb/qmp", "/v1/vms/{name}/qmp", "/v1/vmsx/a/qmp"));
    for (ContractOperation o : c.operations()) {
      String t = o.path().template();
      paths.add(t);
      paths.add(t.replaceAll("\\{[^}]+}", "x"));
      paths.add(t.replaceAll("\\{[^}]+}", ""));
      paths.add(t.replaceAll("\\{[^}]+}", "a/b"));
      paths.add(t.replaceAll("\\{[^}]+}", "..") + "/");
      paths.add(t.replaceAll("\\{[^}]+}", "x") + "x");
      paths.add(t.substring(0, t.length() - 1));
    }
    for (ContractOperation o : c.operations()) {
      for (String path : paths) {
        Matcher m = o.path().pattern().matcher(path);
        boolean regex = m.matches();
        assertThat(o.path().matches(path)).as("%s against %s", o.path().template(), path).isEqualTo(regex);
        for (int i = 0; i < o.path().names().size(); i++) {
          assertThat(o.path().variable(path, o.path().names().get(i))).as("%s in %s", o.path().template(), path)
              .isEqualTo(regex ? m.group(i + 1) : null);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
