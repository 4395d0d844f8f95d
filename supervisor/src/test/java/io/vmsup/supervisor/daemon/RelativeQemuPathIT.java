package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * QEMU runs in its VM's directory (so a bare romfile name cannot reach the daemon's): a qemu setting given as a
 * relative path is still found, from the daemon's working directory.
 */
class RelativeQemuPathIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void aRelativeQemuPathStillStartsTheVm() throws Exception {
    Path qemu = Arrays.stream(System.getenv("PATH").split(":")).map(d -> Path.of(d, "qemu-system-x86_64"))
        .filter(Files::isExecutable).findFirst().orElseThrow();
    String relative = Path.of("").toAbsolutePath().relativize(qemu).toString();
    assertThat(relative).contains("/").doesNotStartWith("/");
    DaemonConfig plain = DaemonFixture.config(daemons.state());
    DaemonConfig config = new DaemonConfig(plain.httpHost(), plain.httpPort(), plain.stateDir(), relative, false,
        null, null, plain.metricsInterval(), plain.maxBodyBytes(), plain.allowedPaths(), plain.qmpPassthrough());

    DaemonFixture daemon = daemons.start(config);
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("rq"));

    assertThat(daemon.ok("POST", "/v1/vms/rq/start", null).getString("state")).isEqualTo("RUNNING");
  }
}
