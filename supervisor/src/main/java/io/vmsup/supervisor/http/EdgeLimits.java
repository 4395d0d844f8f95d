package io.vmsup.supervisor.http;

import java.time.Duration;

/**
 * The limits the HTTP edge enforces before a request reaches a route (see {@code docs/security.md}, "Limits at the
 * edge"). Unauthenticated and authenticated connections are counted apart: a connection is unauthenticated from its
 * accept until one of its requests presents the daemon's token, then it moves to the authenticated count.
 *
 * @param headerTimeout how long a new connection may take to send its first complete request header; then it is
 *     closed. A keep-alive connection must send its next complete header within {@code idleTimeout}
 * @param idleTimeout how long a connection may stay open with no request in flight
 * @param maxUnauthenticated the most unauthenticated connections open at once; excess ones are closed at accept
 * @param maxUnauthenticatedPerAddress the most unauthenticated connections from one client address
 * @param maxAuthenticated the most authenticated connections; a connection beyond it stays counted as
 *     unauthenticated
 * @param mutatingPerSecond sustained rate of mutating requests (POST, PUT, PATCH, DELETE) per second: one budget
 *     shared by authenticated requests, one per client address for unauthenticated ones; 429 beyond it
 * @param mutatingBurst how many mutating requests may come at once before the rate applies
 * @param bridgeBufferBytes the most bytes queued for one event-bus bridge socket; a socket that does not read is
 *     closed (it may reconnect), like a slow SSE client
 */
public record EdgeLimits(Duration headerTimeout, Duration idleTimeout, int maxUnauthenticated,
    int maxUnauthenticatedPerAddress, int maxAuthenticated, int mutatingPerSecond, int mutatingBurst,
    int bridgeBufferBytes) {

  /** The defaults: 10 s, 60 s, 4096, 2048, 8192, 500/s, 1000, 1 MiB (they admit the suite's and bench's loads). */
  public static EdgeLimits defaults() {
    return new EdgeLimits(Duration.ofSeconds(10), Duration.ofSeconds(60), 4096, 2048, 8192, 500, 1000, 1 << 20);
  }
}
