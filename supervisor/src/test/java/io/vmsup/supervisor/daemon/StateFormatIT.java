package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The state directory's format with real {@code vmsup run} processes: a directory of the layout before versions
 * (format 1, a VM in it) is upgraded in place by the next daemon, which still has the VM and keeps a copy; a
 * directory of a newer format stops the daemon with a message naming both versions, and is left as it was.
 */
class StateFormatIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void aFormatOneDirectoryIsUpgradedAndKeepsItsVm() throws Exception {
    DaemonFixture first = daemons.start();
    first.ok("POST", "/v1/vms", TestSpecs.machineNone("old"));
    first.close();
    Path state = daemons.state();
    assertThat(new JsonObject(Files.readString(state.resolve("format.json"))).getInteger("format")).isEqualTo(2);
    // the layout of a daemon from before format records
    Files.delete(state.resolve("format.json"));

    DaemonProcess next = daemons.process();
    next.url();
    assertThat(next.text()).contains("upgrading format 1 to 2");
    assertThat(new JsonObject(Files.readString(state.resolve("format.json"))).getInteger("format")).isEqualTo(2);
    assertThat(state.resolve("format-backups/format-1/manifest.json")).exists();
    assertThat(state.resolve("vms/old/spec.json")).exists();
    next.terminate();
    DaemonFixture again = daemons.start();
    assertThat(again.ok("GET", "/v1/vms/old", null).getString("name")).isEqualTo("old");
  }

  @Test
  void aNewerFormatStopsTheDaemonNamingBothVersions() throws Exception {
    Path state = daemons.state();
    Files.writeString(state.resolve("format.json"), "{\"format\": 7}");
    DaemonProcess d = daemons.process();
    assertThat(d.process.waitFor(60, TimeUnit.SECONDS)).as("the daemon stops").isTrue();
    assertThat(d.process.exitValue()).isNotZero();
    d.terminate();
    assertThat(d.text()).contains("has format 7, written by a newer vmsup").contains("reads formats 1 to 2");
    assertThat(Files.readString(state.resolve("format.json"))).isEqualTo("{\"format\": 7}");
    assertThat(state.resolve("vms")).doesNotExist();
  }
}
