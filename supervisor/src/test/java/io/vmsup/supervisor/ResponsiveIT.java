package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A QEMU stopped by SIGSTOP is alive: its VM stays RUNNING, shown {@code responsive: false} with an event, and
 * {@code true} again (another event) once it runs. For an own (child) QEMU and an adopted one.
 */
class ResponsiveIT {

  private static final Duration T = Duration.ofSeconds(20);

  @RegisterExtension
  final SupervisorExtension sup = new SupervisorExtension();

  @Test
  void aSigstoppedChildStaysRunningButUnresponsiveUntilContinued() throws Exception {
    Fixture f = sup.start();
    f.request(Addresses.CREATE, Fixture.spec("s"));
    JsonObject started = f.request(Addresses.START, Fixture.name("s"));
    assertThat(started.getBoolean("responsive")).isTrue();
    roundTrip(f, "s", started.getLong("pid"));
  }

  @Test
  void anAdoptedQemuToo() throws Exception {
    Fixture first = sup.start();
    first.request(Addresses.CREATE, Fixture.spec("a"));
    long pid = first.request(Addresses.START, Fixture.name("a")).getLong("pid");
    first.close();
    Fixture second = sup.start();
    assertThat(second.awaitState("a", "RUNNING", T).getString("reason")).isEqualTo("reattached");
    roundTrip(second, "a", pid);
  }

  private void roundTrip(Fixture f, String vm, long pid) throws Exception {
    sup.stop(pid);
    JsonObject off = f.awaitEvent(e -> "responsive".equals(e.getString("type")) && vm.equals(e.getString("vm")), T);
    assertThat(off.getBoolean("responsive")).isFalse();
    assertThat(off.getLong("pid")).isEqualTo(pid);
    JsonObject view = f.request(Addresses.GET, Fixture.name(vm));
    assertThat(view.getString("state")).isEqualTo("RUNNING");
    assertThat(view.getBoolean("responsive")).isFalse();
    assertThat(view.getLong("pid")).isEqualTo(pid);

    Fixture.signal(pid, "CONT");
    JsonObject on = f.awaitEvent(e -> "responsive".equals(e.getString("type")) && vm.equals(e.getString("vm")), T);
    assertThat(on.getBoolean("responsive")).isTrue();
    JsonObject back = f.request(Addresses.GET, Fixture.name(vm));
    assertThat(back.getString("state")).isEqualTo("RUNNING");
    assertThat(back.getBoolean("responsive")).isTrue();
    JsonObject listed = f.request(Addresses.LIST, new JsonObject()).getJsonArray("vms").getJsonObject(0);
    assertThat(listed.getBoolean("responsive")).isTrue();
  }
}
