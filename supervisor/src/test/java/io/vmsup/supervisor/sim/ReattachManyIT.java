package io.vmsup.supervisor.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.SupervisorOptions;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A daemon restart over many VMs (simulators; more than the registry deploys per turn of its event loop, with the
 * stored specs parsed on a worker and the host's processes indexed once): every running VM is adopted with its own
 * process, one killed while the daemon was down is CRASHED, a VM that was never started stays DEFINED, and a foreign
 * QEMU naming a stopped VM's socket (found through the index, not a read of every process) is FAILED
 * unverified-process; no VM gets a second process.
 */
class ReattachManyIT {

  private static final Duration T = Duration.ofSeconds(120);
  private static final int RUNNING = 70;
  private static final int DEFINED = 10;

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  private static String name(int i) {
    return "m" + i;
  }

  @Test
  void aRestartOverManyVmsAdoptsEachOnceAndJudgesTheRestRight() throws Exception {
    SupervisorOptions options = Fixture.options(supervisors.dir()).withQemuBinary(QmpSim.binary().toString());
    Fixture first = supervisors.start(options);
    Map<String, Long> pids = new HashMap<>();
    for (int i = 0; i < RUNNING + DEFINED; i++) {
      first.request(Addresses.CREATE, Fixture.spec(name(i), new JsonObject().put("restart", "never")));
    }
    for (int i = 0; i < RUNNING; i++) {
      pids.put(name(i), first.request(Addresses.START, Fixture.name(name(i))).getLong("pid"));
    }
    first.close();
    ProcessHandle killed = ProcessHandle.of(pids.get(name(0))).orElseThrow();
    killed.destroyForcibly();
    killed.onExit().get(30, TimeUnit.SECONDS);
    String strayOf = name(RUNNING + 1);
    Path socket = supervisors.dir().resolve("vms/" + strayOf + "/qmp.sock");
    Process stray = new ProcessBuilder(List.of("qemu-system-x86_64", "-machine", "none", "-nodefaults", "-display",
        "none", "-chardev", "socket,id=m,path=" + socket + ",server=on,wait=off", "-mon", "chardev=m,mode=control"))
        .redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
    try {
      Fixture second = supervisors.start(options);
      assertThat(second.awaitState(name(0), "CRASHED", T).getString("reason")).isEqualTo("died-while-daemon-down");
      assertThat(second.awaitState(strayOf, "FAILED", T).getString("reason")).isEqualTo("unverified-process");
      for (int i = 1; i < RUNNING; i++) {
        assertThat(second.awaitState(name(i), "RUNNING", T).getString("reason")).isEqualTo("reattached");
      }
      for (int i = 1; i < RUNNING; i++) {
        JsonObject view = second.request(Addresses.GET, Fixture.name(name(i)));
        assertThat(view.getLong("pid")).as(name(i) + ": its own process, adopted").isEqualTo(pids.get(name(i)));
        assertThat(view.getString("state")).isEqualTo("RUNNING");
      }
      for (int i = RUNNING; i < RUNNING + DEFINED; i++) {
        if (!name(i).equals(strayOf)) {
          assertThat(second.request(Addresses.GET, Fixture.name(name(i))).getString("state")).as(name(i))
              .isEqualTo("DEFINED");
        }
      }
      long processes = ProcessHandle.allProcesses().filter(p -> Fixture.cmdline(p.pid())
          .contains(supervisors.dir().resolve("vms").toString())).count();
      assertThat(processes).as("one process per running VM, and the stray: none started twice")
          .isEqualTo(RUNNING - 1 + 1);
      assertThat(stray.isAlive()).as("the stray is left alone").isTrue();
    } finally {
      stray.destroyForcibly();
      stray.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
