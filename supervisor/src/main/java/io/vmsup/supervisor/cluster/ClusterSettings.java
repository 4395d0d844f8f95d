package io.vmsup.supervisor.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a daemon takes part in a fleet ({@code vmsup run --cluster}); {@link #disabled()} for a single host.
 *
 * @param enabled whether the daemon joins a cluster at all
 * @param hostId this member's id, unique among live members; part of its addresses {@code vmsup.host.<id>.vm.*}
 * @param name the cluster name: members with another name are not admitted
 * @param members the TCP/IP join list, {@code host:port} each (multicast is never used)
 * @param host the address the membership and event-bus ports bind to (a private address)
 * @param publicHost the address other members reach this one at (often {@code host})
 * @param port the membership (Hazelcast) port
 * @param busPort the event-bus port (mutual TLS)
 * @param tlsDir the directory with {@code ca.pem}, {@code member.pem} and {@code member-key.pem}
 * @param failureAfter how long a silent member stays a member before it is declared lost
 * @param labels this host's labels, matched by placement constraints
 */
public record ClusterSettings(boolean enabled, String hostId, String name, List<String> members, String host,
    String publicHost, int port, int busPort, Path tlsDir, Duration failureAfter, Map<String, String> labels) {

  /** The certificate authority that signed every member's certificate. */
  public static final String CA_FILE = "ca.pem";
  /** This member's certificate, signed by the cluster CA. */
  public static final String CERT_FILE = "member.pem";
  /** This member's private key (PKCS#8 PEM). */
  public static final String KEY_FILE = "member-key.pem";

  /**
   * The fleet key (64 hex digits), the same file in every member's directory and never given to other services:
   * daemons seal the messages they send each other with it (docs/fleet.md).
   */
  public static final String FLEET_KEY_FILE = "fleet.key";

  public ClusterSettings {
    members = List.copyOf(members);
    labels = Map.copyOf(new TreeMap<>(labels));
  }

  /** Single-host mode: no cluster, nothing to configure. */
  public static ClusterSettings disabled() {
    return new ClusterSettings(false, null, null, List.of(), null, null, 0, 0, null, Duration.ZERO, Map.of());
  }

  public Path caFile() {
    return tlsDir.resolve(CA_FILE);
  }

  public Path certFile() {
    return tlsDir.resolve(CERT_FILE);
  }

  public Path keyFile() {
    return tlsDir.resolve(KEY_FILE);
  }

  public Path fleetKeyFile() {
    return tlsDir.resolve(FLEET_KEY_FILE);
  }

  /** The address the others reach this member's event bus at. */
  public String advertisedHost() {
    return publicHost == null || publicHost.isBlank() ? host : publicHost;
  }
}
