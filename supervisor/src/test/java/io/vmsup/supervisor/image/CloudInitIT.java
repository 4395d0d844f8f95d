package io.vmsup.supervisor.image;

import static io.vmsup.supervisor.image.ManagedDisksIT.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cloud-init NoCloud seed of a spec's {@code cloudInit}: an ISO 9660 image labelled {@code cidata} holding the
 * spec's texts (read back with isoinfo), mode 0400, built before every start (a damaged seed is rebuilt), attached
 * read-only to a real QEMU; and bad {@code cloudInit} input refused with its JSON path.
 */
class CloudInitIT {

  private static final String USER_DATA = "#cloud-config\nusers:\n  - name: ops\n    passwd: \"s3cr\u00e9t\"\n"
      + "runcmd:\n\t- echo hi\n";
  private static final String NETWORK = "version: 2\nethernets:\n  eth0: {dhcp4: true}\n";

  @RegisterExtension
  final SupervisorExtension sup = new SupervisorExtension();

  static JsonObject seeded(String name, JsonObject cloudInit) {
    return new JsonObject().put("name", name).put("machine", new JsonObject().put("type", "q35"))
        .put("supervision", new JsonObject().put("restart", "never")).put("cloudInit", cloudInit);
  }

  static String isoinfo(Path iso, String... args) throws Exception {
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("isoinfo", "-i", iso.toString()));
    cmd.addAll(java.util.List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    return out;
  }

  @Test
  void theSeedHoldsTheSpecsTextsAndIsAttachedReadOnly() throws Exception {
    Fixture f = sup.start();
    f.request(Addresses.CREATE, seeded("ci", new JsonObject().put("userData", USER_DATA)
        .put("networkConfig", NETWORK)));
    Path seed = sup.dir().resolve("vms/ci/cidata.iso");
    assertThat(seed).as("built before a start, not at create").doesNotExist();

    f.request(Addresses.START, new JsonObject().put("name", "ci"));
    readableByTheDaemonAndItsQemuOnly(seed, f.request(Addresses.GET, new JsonObject().put("name", "ci"))
        .getLong("pid"));
    assertThat(isoinfo(seed, "-d")).contains("Volume id: cidata");
    assertThat(isoinfo(seed, "-R", "-x", "/user-data")).isEqualTo(USER_DATA);
    assertThat(isoinfo(seed, "-R", "-x", "/meta-data")).isEqualTo("instance-id: ci\nlocal-hostname: ci\n");
    assertThat(isoinfo(seed, "-R", "-x", "/network-config")).isEqualTo(NETWORK);
    assertThat(isoinfo(seed, "-J", "-f")).contains("/user-data", "/meta-data", "/network-config");

    // QEMU has it open, read-only, as the disk "cidata"
    JsonArray blocks = (JsonArray) f.request(Addresses.QMP, new JsonObject().put("name", "ci")
        .put("execute", "query-block")).getValue("return");
    JsonObject ci = blocks.stream().map(JsonObject.class::cast)
        .filter(b -> b.getString("qdev", "").contains("cidata")).findFirst().orElseThrow();
    assertThat(ci.getJsonObject("inserted").getBoolean("ro")).isTrue();
    assertThat(ci.getJsonObject("inserted").getString("file")).isEqualTo(seed.toString());
    // and a snapshot of the VM leaves it out (read-only disks are not snapshotted): not tested here, see docs

    f.request(Addresses.KILL, new JsonObject().put("name", "ci"));
    f.awaitState("ci", "STOPPED", Duration.ofSeconds(20));
    Files.setPosixFilePermissions(seed, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(seed, "damaged");
    f.request(Addresses.START, new JsonObject().put("name", "ci"));
    assertThat(isoinfo(seed, "-R", "-x", "/user-data")).isEqualTo(USER_DATA);
    f.request(Addresses.KILL, new JsonObject().put("name", "ci"));
  }

  // the owner (the daemon) reads; the one named user is the uid the VM's QEMU runs as (qemuUids); nobody else
  private static void readableByTheDaemonAndItsQemuOnly(Path seed, long qemuPid) throws Exception {
    String acl = new String(new ProcessBuilder("getfacl", "-p", "-n", seed.toString()).start().getInputStream()
        .readAllBytes());
    String uid = Files.readAllLines(Path.of("/proc/" + qemuPid + "/status")).stream()
        .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1];
    assertThat(acl).as(acl).contains("\nuser::r--\n", "\ngroup::---\n", "\nother::---\n",
        "\nuser:" + uid + ":r--\n");
    assertThat(acl.lines().filter(l -> l.startsWith("user:") && !l.startsWith("user::")).count()).as(acl)
        .isEqualTo(1);
    assertThat(acl.lines().filter(l -> l.startsWith("group:") && !l.endsWith(":---")).count()).as(acl).isZero();
    assertThat(Files.getOwner(seed).getName()).isEqualTo(System.getProperty("user.name"));
  }

  @Test
  void badCloudInitInputIsRefusedWithItsPath() throws Exception {
    Fixture f = sup.start();
    assertInvalid(f, seeded("b", new JsonObject()), "cloudInit.userData", "is required");
    assertInvalid(f, seeded("b", new JsonObject().put("userData", "a\u0000b")), "cloudInit.userData",
        "control characters");
    assertInvalid(f, seeded("b", new JsonObject().put("userData", 5)), "cloudInit.userData", "must be a string");
    assertInvalid(f, seeded("b", new JsonObject().put("userData", "x").put("vendorData", "y")),
        "cloudInit.vendorData", "unknown field");
    assertInvalid(f, seeded("b", new JsonObject().put("userData", "x".repeat((256 << 10) + 1))),
        "cloudInit.userData", "longer than");
    JsonObject clash = seeded("b", new JsonObject().put("userData", "x"));
    clash.put("devices", new JsonArray().add(new JsonObject().put("kind", "disk").put("id", "cidata")
        .put("size", "1M")));
    assertInvalid(f, clash, "cloudInit", "\"cidata\" is the seed's");
    assertThat(sup.dir().resolve("vms/b")).doesNotExist();
  }
}
