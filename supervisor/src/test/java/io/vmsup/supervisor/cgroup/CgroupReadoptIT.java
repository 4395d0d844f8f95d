package io.vmsup.supervisor.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A daemon restart: the adopted QEMU's cgroup is found again (its kill switch, figures and OOM evidence work), and a
 * QEMU OOM-killed while no daemon ran is judged {@code oom} from the cgroup it left, which is then removed.
 */
class CgroupReadoptIT {

  private static final Duration LONG = Duration.ofSeconds(60);
  private static final JsonObject HOG = new JsonObject().put("qom-type", "memory-backend-ram").put("id", "m0")
      .put("size", 256L << 20).put("prealloc", true);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  private Fixture startVm(String name) throws Exception {
    Fixture f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec(name).put("resources", new JsonObject().put("memoryMax", "64M")));
    f.request(Addresses.START, Fixture.name(name));
    return f;
  }

  @Test
  void anAdoptedQemuKeepsItsCgroupAndItsOomEvidence() throws Exception {
    Fixture first = startVm("a");
    List<Path> dirs = first.supervisor.cgroups().current("a").orElseThrow().dirs();
    long pid = first.request(Addresses.GET, Fixture.name("a")).getLong("pid");
    first.close();

    Fixture second = supervisors.start();
    assertThat(second.awaitState("a", "RUNNING", LONG).getString("reason")).isEqualTo("reattached");
    VmCgroup adopted = second.supervisor.cgroups().current("a").orElseThrow();
    assertThat(adopted.dirs()).isEqualTo(dirs);
    assertThat(adopted.pids()).containsExactly(pid);
    second.vertx.eventBus().request(Addresses.QMP, Fixture.name("a").put("execute", "object-add")
        .put("arguments", HOG));
    assertThat(second.awaitState("a", "CRASHED", LONG).getString("reason")).isEqualTo("oom");
    Await.until("the cgroup removed", () -> dirs.stream().noneMatch(Files::isDirectory), LONG);
  }

  @Test
  void aQemuOomKilledWhileNoDaemonRanIsCrashedOom() throws Exception {
    Fixture first = startVm("b");
    List<Path> dirs = first.supervisor.cgroups().current("b").orElseThrow().dirs();
    long pid = first.request(Addresses.GET, Fixture.name("b")).getLong("pid");
    first.close();
    // no daemon: speak QMP to QEMU's own socket, as any client could
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(supervisors.dir().resolve("vms/b/qmp.sock")))) {
      BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
      OutputStream out = Channels.newOutputStream(ch);
      in.readLine(); // greeting
      out.write("{\"execute\":\"qmp_capabilities\"}\n".getBytes(StandardCharsets.UTF_8));
      in.readLine();
      out.write(new JsonObject().put("execute", "object-add").put("arguments", HOG).encode()
          .concat("\n").getBytes(StandardCharsets.UTF_8));
      ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    }
    Fixture second = supervisors.start();
    assertThat(second.awaitState("b", "CRASHED", LONG).getString("reason")).isEqualTo("oom");
    Await.until("the cgroup removed", () -> dirs.stream().noneMatch(Files::isDirectory), LONG);
  }
}
