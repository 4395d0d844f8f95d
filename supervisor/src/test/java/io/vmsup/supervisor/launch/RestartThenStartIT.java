package io.vmsup.supervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A VM that ran under the daemon before starts again under the next daemon: what the first QEMU left in the VM's
 * directory (its pid file, sockets, logs, owned by its uid) must not stand in the way of the second.
 */
class RestartThenStartIT {

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  @Test
  void aVmStoppedUnderOneDaemonStartsUnderTheNext() throws Exception {
    Fixture f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("a"));
    f.request(Addresses.START, Fixture.name("a"));
    f.request(Addresses.STOP, Fixture.name("a").put("graceSeconds", 0));
    f.request(Addresses.START, Fixture.name("a"));
    f.request(Addresses.STOP, Fixture.name("a").put("graceSeconds", 0));
    f.close();
    f = supervisors.start();
    assertThat(f.request(Addresses.START, Fixture.name("a")).getString("state")).isEqualTo("RUNNING");
    f.request(Addresses.STOP, Fixture.name("a").put("graceSeconds", 0));
    assertThat(f.request(Addresses.START, Fixture.name("a")).getString("state")).isEqualTo("RUNNING");
    f.request(Addresses.KILL, Fixture.name("a"));
  }
}
