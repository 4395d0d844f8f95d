package io.vmsup.supervisor.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The networks' directory is absolute even for a relative state directory ({@code ./vmsup-data}, the default):
 * dnsmasq runs in that directory and was handed relative lease and pid file paths, which it could not open there
 * (it died at once, again and again; found by running the README's "two VMs on one network").
 */
class NetworksTest {

  @Test
  void theNetworksDirectoryIsAbsolute() {
    Path dir = Networks.dir(Path.of("vmsup-data"));
    assertThat(dir).isAbsolute().endsWithRaw(Path.of("vmsup-data", "networks"));
  }
}
