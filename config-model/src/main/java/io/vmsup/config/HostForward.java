package io.vmsup.config;

import java.util.Optional;

/**
 * A port forward of a {@code user} NIC: QEMU listens on the host and passes what arrives to the guest
 * ({@code hostfwd=PROTO:[HOSTADDR]:HOSTPORT-:GUESTPORT} on {@code -netdev user}; the guest side is the address the
 * user network's DHCP gives the guest).
 *
 * @param proto       {@code tcp} or {@code udp}
 * @param hostAddress the host IPv4 address QEMU listens on; absent = every address ({@code 0.0.0.0})
 * @param hostPort    1..65535
 * @param guestPort   1..65535
 */
public record HostForward(Proto proto, Optional<String> hostAddress, int hostPort, int guestPort) {

  /** The address an absent {@link #hostAddress} means. */
  public static final String ANY = "0.0.0.0";

  /** Transport protocol of a forward. */
  public enum Proto { TCP, UDP }

  /** The value of QEMU's {@code hostfwd} option, unescaped (the option builder escapes it). */
  public String toQemu() {
    return proto.name().toLowerCase(java.util.Locale.ROOT) + ":" + hostAddress.orElse("") + ":" + hostPort + "-:"
        + guestPort;
  }

  /** The host address QEMU binds: the given one or {@link #ANY}. */
  public String bindAddress() {
    return hostAddress.orElse(ANY);
  }

  /**
   * Whether both forwards want the same host socket: same protocol and port, and the same address or either one on
   * every address (a socket on {@code 0.0.0.0} takes the port on all of them).
   */
  public boolean clashes(HostForward other) {
    return proto == other.proto && hostPort == other.hostPort && (bindAddress().equals(other.bindAddress())
        || bindAddress().equals(ANY) || other.bindAddress().equals(ANY));
  }

  /** For messages: {@code tcp 127.0.0.1:8080}. */
  public String describe() {
    return proto.name().toLowerCase(java.util.Locale.ROOT) + " " + bindAddress() + ":" + hostPort;
  }
}
