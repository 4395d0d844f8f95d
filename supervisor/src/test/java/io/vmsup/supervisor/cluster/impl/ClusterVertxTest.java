package io.vmsup.supervisor.cluster.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.instance.EndpointQualifier;
import io.vmsup.supervisor.cluster.ClusterSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterVertxTest {

  private static final ClusterSettings S = new ClusterSettings(true, "fa", "fleet-x", List.of("10.0.0.1:5701",
      "10.0.0.2:5701"), "10.0.0.1", "192.0.2.7", 5701, 5801, Path.of("/tls"), Duration.ofSeconds(4), Map.of());

  /**
   * Members are reached through the advanced network's one member endpoint: the default network's protocol encoder
   * spins Hazelcast 5.3.8's NIO output thread on a connection whose peer never answers (a frozen member), which split
   * the survivors of a frozen master (docs/fleet.md, "When the master freezes").
   */
  @Test
  void membersUseTheAdvancedNetworksOneMemberEndpoint() {
    Config c = ClusterVertx.hazelcast(S);
    AdvancedNetworkConfig net = c.getAdvancedNetworkConfig();
    assertThat(net.isEnabled()).isTrue();
    assertThat(net.getEndpointConfigs()).containsOnlyKeys(EndpointQualifier.MEMBER);
    ServerSocketEndpointConfig member = (ServerSocketEndpointConfig) net.getEndpointConfigs()
        .get(EndpointQualifier.MEMBER);
    assertThat(member.getPort()).isEqualTo(5701);
    assertThat(member.isPortAutoIncrement()).isFalse();
    assertThat(member.getPublicAddress()).isEqualTo("192.0.2.7:5701");
    assertThat(c.getProperty("hazelcast.local.localAddress")).isEqualTo("10.0.0.1");
    assertThat(c.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
  }

  @Test
  void theJoinIsTcpIpWithTheGivenMembersOnly() {
    Config c = ClusterVertx.hazelcast(S);
    JoinConfig join = c.getAdvancedNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
    assertThat(c.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(c.getClusterName()).isEqualTo("fleet-x");
  }
}
