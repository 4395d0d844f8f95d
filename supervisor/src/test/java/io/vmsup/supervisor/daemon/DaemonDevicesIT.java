package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.client.ApiClient;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Device hot-plug and console input over real HTTP, against a daemon supervising a real q35 QEMU started paused (no
 * guest): what QEMU reports after an attach, the problems of a duplicate id, an unknown id and an unconfirmed
 * detach.
 */
class DaemonDevicesIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private DaemonFixture daemon;

  @BeforeEach
  void start() throws Exception {
    daemon = daemons.start();
  }

  /** q35 under TCG, paused, two free root ports for hot-plugged PCIe devices. */
  private static JsonObject q35(String name) {
    return new JsonObject().put("name", name)
        .put("machine", new JsonObject().put("type", "q35").put("accel", "tcg"))
        .put("devices", new JsonArray()
            .add(new JsonObject().put("kind", "pcie-root-port").put("id", "rp1").put("chassis", 1).put("slot", 1))
            .add(new JsonObject().put("kind", "pcie-root-port").put("id", "rp2").put("chassis", 2).put("slot", 2)))
        .put("supervision", new JsonObject().put("startPaused", true));
  }

  private JsonObject disk(String id, String bus) throws Exception {
    Path image = daemons.state().resolve(id + ".img");
    try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
      raf.setLength(1 << 20);
    }
    return new JsonObject().put("kind", "disk").put("id", id).put("file", image.toString()).put("format", "raw")
        .put("bus", bus);
  }

  private List<String> nodeNames(String vm) throws Exception {
    JsonObject r = daemon.ok("POST", "/v1/vms/" + vm + "/qmp", new JsonObject().put("execute",
        "query-named-block-nodes"));
    return r.getJsonArray("return").stream().map(o -> ((JsonObject) o).getString("node-name")).toList();
  }

  @Test
  void attachedDiskShowsInQemuAndBadAttachesAndDetachesAreProblems() throws Exception {
    daemon.ok("POST", "/v1/vms", q35("h"));
    assertThat(daemon.ok("POST", "/v1/vms/h/start", null).getString("state")).isEqualTo("PAUSED");

    JsonObject attached = daemon.ok("POST", "/v1/vms/h/devices", disk("d1", "rp1"));
    assertThat(attached.getString("id")).isEqualTo("d1");
    assertThat(attached.getBoolean("live")).isTrue();
    assertThat(attached.getJsonArray("steps").getList()).containsExactly("blockdev-add", "device_add");
    assertThat(nodeNames("h")).contains("d1.blk");

    ApiClient.Response duplicate = daemon.send("POST", "/v1/vms/h/devices", disk("d1", "rp2"));
    JsonObject problem = assertProblem(duplicate, 400, "INVALID");
    assertThat(problem.getJsonArray("violations").stream().map(v -> ((JsonObject) v).getString("path")))
        .contains("device.id");
    assertThat(problem.getJsonArray("violations").encode()).contains("duplicate id");

    assertProblem(daemon.send("DELETE", "/v1/vms/h/devices/zz", null), 404, "NOT_FOUND");
    assertProblem(daemon.send("POST", "/v1/vms/nope/devices", disk("d9", "rp2")), 404, "NOT_FOUND");
    assertProblem(daemon.send("DELETE", "/v1/vms/h/devices/d1?timeoutSeconds=0", null), 400, "INVALID");

    // a paused machine without a guest never acknowledges the unplug: DEVICE_DELETED does not come
    JsonObject pending = assertProblem(daemon.send("DELETE", "/v1/vms/h/devices/d1?timeoutSeconds=1", null), 503,
        "UNAVAILABLE");
    assertThat(pending.getString("detail")).contains("DEVICE_DELETED");
    assertThat(nodeNames("h")).contains("d1.blk");
  }

  @Test
  void withoutAProcessAttachAndDetachOnlyEditTheSpec() throws Exception {
    daemon.ok("POST", "/v1/vms", q35("c"));
    JsonObject attached = daemon.ok("POST", "/v1/vms/c/devices", disk("d1", "rp1"));
    assertThat(attached.getBoolean("live")).isFalse();
    assertThat(deviceIds("c")).containsExactly("rp1", "rp2", "d1");

    JsonObject detached = daemon.ok("DELETE", "/v1/vms/c/devices/d1", null);
    assertThat(detached.getBoolean("live")).isFalse();
    assertThat(deviceIds("c")).containsExactly("rp1", "rp2");
  }

  @Test
  void consoleInputNeedsDataAndARunningVm() throws Exception {
    daemon.ok("POST", "/v1/vms", q35("w"));
    assertProblem(daemon.send("POST", "/v1/vms/w/console", new JsonObject().put("data", "x\n")), 409, "CONFLICT");
    daemon.ok("POST", "/v1/vms/w/start", null);
    assertProblem(daemon.send("POST", "/v1/vms/w/console", new JsonObject()), 400, "INVALID");
    assertProblem(daemon.send("POST", "/v1/vms/nope/console", new JsonObject().put("data", "x\n")), 404,
        "NOT_FOUND");
    assertProblem(daemon.send("GET", "/v1/vms/nope/console", null), 404, "NOT_FOUND");
    assertProblem(daemon.send("GET", "/v1/vms/w/console?lines=many", null), 400, "INVALID");
    JsonObject written = daemon.ok("POST", "/v1/vms/w/console", new JsonObject().put("data", "hello\n"));
    assertThat(written.getInteger("bytes")).isEqualTo(6);
  }

  private List<String> deviceIds(String vm) throws Exception {
    return daemon.ok("GET", "/v1/vms/" + vm, null).getJsonObject("spec").getJsonArray("devices").stream()
        .map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private static JsonObject assertProblem(ApiClient.Response response, int status, String code) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).isEqualTo("application/problem+json");
    JsonObject problem = new JsonObject(response.body());
    assertThat(problem.getString("code")).isEqualTo(code);
    return problem;
  }
}
