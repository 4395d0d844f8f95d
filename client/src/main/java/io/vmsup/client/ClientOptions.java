package io.vmsup.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link VmsupClient} talks to the daemon.
 *
 * @param token the daemon's admin or read-only token, sent in the {@value #AUTHORIZATION} header of every request as
 *     {@code Bearer <token>}; null sends none (a service inside the daemon's own JVM, which the bus trusts)
 * @param timeout how long a request waits for its reply before failing {@link ErrorCode#UNAVAILABLE}; a stop with a
 *     grace and a detach with a timeout wait that long more
 * @param host null to send to the fleet-wide addresses ({@code vmsup.vm.*}: any member finds the VM's owner), or a
 *     host id to send to that host's own addresses ({@code vmsup.host.<id>.vm.*})
 */
public record ClientOptions(String token, Duration timeout, String host) {

  /** The message header that carries the token. */
  public static final String AUTHORIZATION = "authorization";

  public ClientOptions {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, not " + timeout);
    }
    if (token != null && (token.isBlank() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
      throw new IllegalArgumentException("token must be printable ASCII without spaces");
    }
    if (host != null && !host.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      throw new IllegalArgumentException("host must be a host id (1-63 characters from A-Z a-z 0-9 . _ -), not '"
          + host + "'");
    }
  }

  /** No token, a 90 s timeout (a stop's default 30 s grace plus its ladder), fleet-wide addresses. */
  public static ClientOptions defaults() {
    return new ClientOptions(null, Duration.ofSeconds(90), null);
  }

  public ClientOptions withToken(String token) {
    return new ClientOptions(token, timeout, host);
  }

  public ClientOptions withTimeout(Duration timeout) {
    return new ClientOptions(token, timeout, host);
  }

  public ClientOptions withHost(String host) {
    return new ClientOptions(token, timeout, host);
  }
}
