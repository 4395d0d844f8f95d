package io.vmsup.supervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.bench.QmpCut;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A confined QEMU whose QMP connection is lost and reconnected (QEMU alive throughout) keeps its uid's grants: the
 * close is only a hint of death, and grants go only when QEMU is gone. They were taken back at the close, leaving a
 * running QEMU without access to its own directory and hot-plugged disks without a grant.
 */
class ConfinedReconnectIT {

  private static final UidRange RANGE = new UidRange(2000001100, 2000001199);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  @Test
  void aQmpReconnectKeepsTheRunningQemusGrants() throws Exception {
    Fixture f = supervisors.start(supervisors.options().withQemuUids(RANGE));
    f.request(Addresses.CREATE, new JsonObject().put("name", "h").put("memory", new JsonObject().put("size", "64M"))
        .put("devices", new JsonArray().add(new JsonObject().put("kind", "scsi-controller").put("id", "scsi0")))
        .put("supervision", new JsonObject().put("startPaused", true)));
    long pid = f.request(Addresses.START, Fixture.name("h")).getLong("pid");
    Path vmDir = supervisors.dir().resolve("vms/h");
    int uid = Integer.parseInt(Files.readString(vmDir.resolve("uid")).trim());
    assertThat(acl(vmDir)).contains("user:" + uid + ":rwx");

    assertThat(QmpCut.cut(f.qmpSocket("h"))).hasSize(1);
    JsonObject back = f.awaitEvent(e -> "qmp-reconnected".equals(e.getString("type")), Duration.ofSeconds(30));
    assertThat(back.getLong("pid")).isEqualTo(pid);

    assertThat(acl(vmDir)).as("the running QEMU's own directory").contains("user:" + uid + ":rwx");
    Path disk = Files.createDirectories(supervisors.dir().resolve("disks")).resolve("hot.img");
    Files.write(disk, new byte[1 << 20]);
    JsonObject r = f.request(Addresses.ATTACH, Fixture.name("h").put("device", new JsonObject().put("kind", "disk")
        .put("id", "hot").put("file", disk.toString()).put("model", "scsi-hd").put("bus", "scsi0")));
    assertThat(r.getBoolean("live")).isTrue();
    assertThat(acl(disk)).contains("user:" + uid + ":rw-");

    f.request(Addresses.KILL, Fixture.name("h"));
    Await.until("grants taken back once QEMU is gone", () -> !acl(vmDir).contains("user:" + uid),
        Duration.ofSeconds(30));
  }

  private static String acl(Path p) throws Exception {
    Process g = new ProcessBuilder("getfacl", "-n", "-p", p.toString()).redirectErrorStream(true).start();
    String out = new String(g.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    g.waitFor();
    return out;
  }
}
