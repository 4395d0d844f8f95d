package io.vmsup.supervisor.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.deploy.HostTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table of {@code vm list}/{@code vm get} and {@code --output yaml}, checked by a real YAML parser. */
class VmOutputTest {

  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  private static JsonObject vm(String name, String state, Integer pid, String startedAt, Object memory) {
    return new JsonObject().put("name", name).put("state", state).put("reason", "r").put("since", NOW.toString())
        .put("pid", pid).put("restarts", 3).put("startedAt", startedAt)
        .put("spec", new JsonObject().put("name", name).put("memory", new JsonObject().put("size", memory)));
  }

  @Test
  void tableColumnsAreAlignedAndFilledFromTheView() {
    String table = VmTable.render(List.of(
        vm("web-01", "RUNNING", 4242, "2026-12-05T10:58:55Z", "2G"),
        vm("a", "STOPPED", null, null, 536870912L),
        new JsonObject().put("name", "bare\u001b[2J").put("state", "DEFINED").put("restarts", 0)), "host1", false, NOW);
    assertThat(table).isEqualTo(String.join("\n",
        "NAME      STATE    HOST   PID   UPTIME  MEMORY  RESTARTS",
        "web-01    RUNNING  host1  4242  1h1m    2G      3",
        "a         STOPPED  host1  -     -       512M    3",
        "bare?[2J  DEFINED  host1  -     -       -       0",
        ""));
    assertThat(VmTable.render(List.of(), "h", true, NOW).strip())
        .isEqualTo("NAME  STATE  HOST  PID  UPTIME  MEMORY  RESTARTS  REASON  SINCE  QEMU  MACHINE  CPUS");
  }

  @Test
  void yamlReadsBackAsTheSameData(@TempDir Path dir) throws Exception {
    JsonObject data = new JsonObject()
        .put("plain", "web-01").put("yes", "yes").put("num", "1.0").put("empty", "").put("colon", "a: b")
        .put("dash", "-x").put("nullText", "null").put("hash", "a #b").put("newline", "l1\nl2").put("quote", "\"q'")
        .put("unicode", "né ☃").put("tilde", "~").put("dot", ".5").put("int", 42).put("float", 1.5).put("t", true)
        .put("nothing", null).put("emptyObject", new JsonObject()).put("emptyList", new JsonArray())
        .put("list", new JsonArray().add("a").add(new JsonObject().put("k", "v").put("n", new JsonArray().add(1)))
            .add(new JsonArray().add("nested")))
        .put("obj", new JsonObject().put("deep", new JsonObject().put("x", "0x10")));
    Path yaml = dir.resolve("out.yaml");
    Files.writeString(yaml, YamlWriter.write(data));
    HostTools.Run parsed = HostTools.run(dir, List.of("python3", "-c",
        "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", yaml.toString()));
    assertThat(parsed.exit()).as(parsed.output()).isZero();
    assertThat(new JsonObject(parsed.output())).isEqualTo(data);
  }
}
