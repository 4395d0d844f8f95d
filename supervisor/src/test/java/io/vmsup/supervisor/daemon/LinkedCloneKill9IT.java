package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.client.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kill -9} of the daemon process in the middle of a linked clone's freeze: the source's disk already has a
 * second name in the image store (the frozen image, still pending) and a new overlay beside it, the clone's overlay
 * is being made. After a restart the source is as before (its disk over the original image, its data, no frozen image
 * left), the clone does not exist, the source starts, and the same linked clone then succeeds. (The later crash
 * states, after the clone's spec is written, are FreezerIT's.)
 */
class LinkedCloneKill9IT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void aDaemonKilledMidFreezeLeavesTheSourceAsItWasAndBootable() throws Exception {
    Path state = daemons.state();
    Path fake = fakeQemuImg();
    Path mark = daemons.dir("marks").resolve("frozen");
    DaemonProcess daemon = DaemonProcess.start(state, List.of(), Map.of("PATH", fake.getParent() + ":"
        + System.getenv("PATH"), "VMSUP_TEST_CLONE_MARK", mark.toString()));
    daemons.closeAfter(() -> {
      if (daemon.process.isAlive()) {
        daemon.terminate();
      }
    });
    ApiClient api = api(daemon);
    Path raw = Files.createDirectories(state.resolve("src")).resolve("base.raw");
    run("qemu-img", "create", "-q", "-f", "raw", raw.toString(), "2M");
    ok(api.send("POST", "/v1/images", new JsonObject().put("name", "base").put("path", raw.toString())
        .put("format", "raw").encode()), 201);
    ok(api.send("POST", "/v1/vms", new JsonObject().put("name", "src").put("machine", new JsonObject()
        .put("type", "q35")).put("devices", new JsonArray().add(new JsonObject()
        .put("kind", "disk").put("id", "d0").put("image", "base").put("size", "8M"))).encode()), 201);
    Path srcDisk = state.resolve("vms/src/disks/d0.qcow2");
    run("qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 1M 1M", srcDisk.toString());
    Object inode = Files.readAttributes(srcDisk, "unix:ino").get("ino");

    CompletableFuture<Object> clone = CompletableFuture.supplyAsync(() -> {
      try {
        return api.send("POST", "/v1/vms/src/clone", new JsonObject().put("as", "copy").put("linked", true).encode());
      } catch (java.io.IOException daemonKilled) {
        return daemonKilled;
      }
    });
    awaitFile(mark);
    try (var images = Files.list(state.resolve("images"))) {
      assertThat(images.map(p -> p.getFileName().toString()).toList()).as("the frozen image is there, pending")
          .anyMatch(n -> n.startsWith("src.d0-"));
    }
    assertThat(state.resolve("vms/src/disks/.d0.frozen.qcow2")).exists();
    daemon.process.destroyForcibly(); // SIGKILL
    assertThat(daemon.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(clone.get(60, TimeUnit.SECONDS)).as("no success was replied").isInstanceOf(java.io.IOException.class);
    killFakes(fake);

    DaemonProcess again = daemons.process();
    ApiClient api2 = api(again);
    assertThat(api2.send("GET", "/v1/vms/copy", null).status()).isEqualTo(404);
    assertThat(state.resolve("vms/copy")).doesNotExist();
    JsonArray images = new JsonObject(api2.send("GET", "/v1/images", null).body()).getJsonArray("images");
    assertThat(images.size()).as(images.encode()).isEqualTo(1);
    assertThat(Files.readAttributes(srcDisk, "unix:ino").get("ino")).isEqualTo(inode);
    assertThat(new JsonObject(Files.readString(srcDisk.resolveSibling("d0.json"))).getString("image"))
        .isEqualTo("base");
    assertThat(srcDisk.resolveSibling(".d0.frozen.qcow2")).doesNotExist();
    run("qemu-io", "-f", "qcow2", "-c", "read -P 0x5a 1M 1M", srcDisk.toString());
    ok(api2.send("POST", "/v1/vms/src/start", null), 200);
    assertThat(new JsonObject(api2.send("GET", "/v1/vms/src", null).body()).getString("state")).isEqualTo("RUNNING");
    ok(api2.send("POST", "/v1/vms/src/kill", null), 200);

    ok(api2.send("POST", "/v1/vms/src/clone", new JsonObject().put("as", "copy").put("linked", true).encode()), 201);
    for (String vm : List.of("src", "copy")) {
      run("qemu-io", "-f", "qcow2", "-c", "read -P 0x5a 1M 1M", state.resolve("vms/" + vm + "/disks/d0.qcow2")
          .toString());
    }
  }

  /** qemu-img that, asked to make the clone's overlay, marks it and hangs (until killed). */
  private Path fakeQemuImg() throws Exception {
    String real = List.of(System.getenv("PATH").split(":")).stream().map(d -> Path.of(d, "qemu-img"))
        .filter(Files::isExecutable).findFirst().orElseThrow().toString();
    Path fake = daemons.dir("fakebin").resolve("qemu-img");
    Files.writeString(fake, "#!/bin/sh\n"
        + "case \"$1 $*\" in create*/vms/copy/*)\n"
        + "  : > \"$VMSUP_TEST_CLONE_MARK\"\n"
        + "  while :; do sleep 1; done;;\n"
        + "esac\n"
        + "exec " + real + " \"$@\"\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    return fake;
  }

  private static void killFakes(Path fake) {
    ProcessHandle.allProcesses().filter(p -> Fixture.cmdline(p.pid()).contains(fake.toString()))
        .forEach(ProcessHandle::destroyForcibly);
  }

  // the fake writes the mark from another process: nothing to wait on but the file
  private static void awaitFile(Path file) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(file)) {
      assertThat(System.nanoTime()).as("the freeze's mark " + file).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  private ApiClient api(DaemonProcess d) throws Exception {
    return new ApiClient(d.url(), Files.readString(daemons.state().resolve("token")).trim());
  }

  private static void ok(ApiClient.Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
  }
}
