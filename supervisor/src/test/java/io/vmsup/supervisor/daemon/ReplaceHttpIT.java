package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.cli.VmsupCli;
import io.vmsup.supervisor.client.ApiClient;
import io.vmsup.supervisor.http.impl.ResponseContract;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code PUT /v1/vms/{name}} on a real daemon, as a careless or hostile client would send it: without If-Match
 * (428), with a stale, weak, malformed or listed tag, with {@code *}, with another name, wrong types, unknown fields,
 * a huge body, for an unknown or running VM, with the read-only token; every answer checked against the OpenAPI
 * document. Then {@code vmsup vm replace} with its usage errors.
 */
class ReplaceHttpIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();
  @TempDir
  Path tmp;

  private DaemonFixture daemon;

  private ApiClient.Response put(String path, String ifMatch, String body) throws Exception {
    ApiClient.Response r = daemon.api.send("PUT", path, body, ifMatch == null ? Map.of() : Map.of("If-Match",
        ifMatch));
    ResponseContract.check("PUT", path, r.status(), r.contentType(), null, r.body());
    return r;
  }

  private static JsonObject spec(String memory) {
    return TestSpecs.machineNone("r1").put("memory", new JsonObject().put("size", memory));
  }

  private static String path0(ApiClient.Response r) {
    return new JsonObject(r.body()).getJsonArray("violations").getJsonObject(0).getString("path");
  }

  @Test
  void theReplaceTakesOnlyTheCurrentStrongTagAndRefusesWhatIsHostile() throws Exception {
    daemon = daemons.start();
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("r1"));
    String v1 = daemon.ok("GET", "/v1/vms/r1", null).getString("specVersion");
    String tag = "\"" + v1 + "\"";

    ApiClient.Response none = put("/v1/vms/r1", null, spec("256M").encode());
    assertThat(none.status()).as(none.body()).isEqualTo(428);
    assertThat(none.body()).contains("PRECONDITION_REQUIRED").contains("If-Match");
    assertThat(put("/v1/vms/r1", "W/" + tag, spec("256M").encode()).status()).as("a weak tag never matches")
        .isEqualTo(412);
    ApiClient.Response malformed = put("/v1/vms/r1", v1, spec("256M").encode());
    assertThat(malformed.status()).as(malformed.body()).isEqualTo(400);
    assertThat(path0(malformed)).isEqualTo("If-Match");
    assertThat(path0(put("/v1/vms/r1", tag + " \"x\"", spec("256M").encode()))).isEqualTo("If-Match");
    assertThat(path0(put("/v1/vms/r1", tag, TestSpecs.machineNone("other").encode()))).isEqualTo("name");
    ApiClient.Response types = put("/v1/vms/r1", tag, "{\"name\":\"r1\",\"memory\":{\"size\":[1]},\"vcpus\":\"2\"}");
    assertThat(types.status()).as(types.body()).isEqualTo(400);
    assertThat(types.body()).contains("memory.size");
    ApiClient.Response unknown = put("/v1/vms/r1", tag, spec("256M").put("colour", "red").encode());
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body()).contains("colour");
    assertThat(put("/v1/vms/r1", tag, "{\"name\":\"r1\",\"x\":\"" + "a".repeat(70_000) + "\"}").status())
        .isEqualTo(413);
    assertThat(put("/v1/vms/r1", tag, "{\"name\":\"r1\"").status()).isEqualTo(400);
    assertThat(put("/v1/vms/r9", tag, TestSpecs.machineNone("r9").encode()).status()).isEqualTo(404);
    assertThat(daemon.ok("GET", "/v1/vms/r1", null).getString("specVersion")).as("nothing changed").isEqualTo(v1);

    ApiClient.Response ok = put("/v1/vms/r1", "\"0000\", " + tag, spec("256M").encode());
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    String v2 = new JsonObject(ok.body()).getString("specVersion");
    assertThat(new JsonObject(ok.body()).getJsonObject("spec")).isEqualTo(spec("256M"));
    ApiClient.Response stale = put("/v1/vms/r1", tag, spec("512M").encode());
    assertThat(stale.status()).isEqualTo(412);
    assertThat(new JsonObject(stale.body()).getString("specVersion")).isEqualTo(v2);

    ApiClient.Response reader = new ApiClient(daemon.daemon.url(), daemon.daemon.tokens().read().value())
        .send("PUT", "/v1/vms/r1", spec("64M").encode(), Map.of("If-Match", "*"));
    assertThat(reader.status()).as(reader.body()).isEqualTo(403);
    daemon.ok("POST", "/v1/vms/r1/start", null);
    ApiClient.Response running = put("/v1/vms/r1", "*", spec("64M").encode());
    assertThat(running.status()).as(running.body()).isEqualTo(409);
    daemon.ok("POST", "/v1/vms/r1/kill", null);
    ApiClient.Response any = put("/v1/vms/r1", "*", spec("64M").encode());
    assertThat(any.status()).as(any.body()).isEqualTo(200);
    assertThat(new JsonObject(any.body()).getJsonObject("spec")).isEqualTo(spec("64M"));

    cli(v2, new JsonObject(any.body()).getString("specVersion"));
  }

  private void cli(String stale, String current) throws Exception {
    Path file = Files.writeString(tmp.resolve("r1.json"), spec("128M").encode());
    Run usage = vmsup("vm", "replace", "r1", file.toString());
    assertThat(usage.code).isEqualTo(2);
    assertThat(usage.err).contains("--if-match").contains("--force");
    assertThat(vmsup("vm", "replace", "r1", file.toString(), "--force", "--if-match", current).code).isEqualTo(2);
    assertThat(vmsup("vm", "replace", "r1", tmp.resolve("none.json").toString(), "--force").err)
        .contains("no such file");
    Run old = vmsup("vm", "replace", "r1", file.toString(), "--if-match", stale);
    assertThat(old.code).isEqualTo(1);
    assertThat(old.err).contains("412 PRECONDITION_FAILED");
    Run done = vmsup("vm", "replace", "r1", file.toString(), "--if-match", current);
    assertThat(done.code).as(done.err).isZero();
    assertThat(new JsonObject(done.out).getJsonObject("spec")).isEqualTo(spec("128M"));
    assertThat(vmsup("vm", "replace", "--help").out).contains("--if-match").contains("--force");
  }

  private record Run(int code, String out, String err) {
  }

  private Run vmsup(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = VmsupCli.run(args, Map.of("VMSUP_TOKEN", daemon.daemon.token().value(), "VMSUP_URL",
        daemon.daemon.url()), new java.io.ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
