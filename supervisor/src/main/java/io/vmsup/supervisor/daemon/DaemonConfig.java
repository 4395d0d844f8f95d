package io.vmsup.supervisor.daemon;

import io.vmsup.supervisor.http.EdgeLimits;
import io.vmsup.supervisor.launch.UidRange;
import io.vmsup.supervisor.launch.LogLimits;
import io.vmsup.supervisor.policy.PassthroughMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The daemon's resolved configuration; see {@link Setting} for where each value comes from.
 *
 * @param tlsCert PEM certificate, or null for plain HTTP
 * @param tlsKey PEM key, or null for plain HTTP
 * @param allowedPaths absolute host paths VM specs may name besides the state directory
 * @param qmpPassthrough what the raw QMP pass-through does with commands that reach outside the VM
 * @param limits the HTTP edge's limits
 * @param logLimits size cap and rotation of the VMs' logs while they run
 * @param qemuUids the uids QEMU runs as, one per VM; null runs QEMU as the daemon's user
 */
public record DaemonConfig(String httpHost, int httpPort, Path stateDir, String qemu, boolean stopVmsOnShutdown,
    Path tlsCert, Path tlsKey, Duration metricsInterval, long maxBodyBytes, List<Path> allowedPaths,
    PassthroughMode qmpPassthrough, EdgeLimits limits, LogLimits logLimits, UidRange qemuUids) {

  public DaemonConfig {
    allowedPaths = List.copyOf(allowedPaths);
  }

  /** A configuration with the default edge limits. */
  public DaemonConfig(String httpHost, int httpPort, Path stateDir, String qemu, boolean stopVmsOnShutdown,
      Path tlsCert, Path tlsKey, Duration metricsInterval, long maxBodyBytes, List<Path> allowedPaths,
      PassthroughMode qmpPassthrough) {
    this(httpHost, httpPort, stateDir, qemu, stopVmsOnShutdown, tlsCert, tlsKey, metricsInterval, maxBodyBytes,
        allowedPaths, qmpPassthrough, EdgeLimits.defaults());
  }

  /** A configuration with the default log limits. */
  public DaemonConfig(String httpHost, int httpPort, Path stateDir, String qemu, boolean stopVmsOnShutdown,
      Path tlsCert, Path tlsKey, Duration metricsInterval, long maxBodyBytes, List<Path> allowedPaths,
      PassthroughMode qmpPassthrough, EdgeLimits limits) {
    this(httpHost, httpPort, stateDir, qemu, stopVmsOnShutdown, tlsCert, tlsKey, metricsInterval, maxBodyBytes,
        allowedPaths, qmpPassthrough, limits, LogLimits.defaults());
  }

  /** A configuration with QEMU run as the daemon's user. */
  public DaemonConfig(String httpHost, int httpPort, Path stateDir, String qemu, boolean stopVmsOnShutdown,
      Path tlsCert, Path tlsKey, Duration metricsInterval, long maxBodyBytes, List<Path> allowedPaths,
      PassthroughMode qmpPassthrough, EdgeLimits limits, LogLimits logLimits) {
    this(httpHost, httpPort, stateDir, qemu, stopVmsOnShutdown, tlsCert, tlsKey, metricsInterval, maxBodyBytes,
        allowedPaths, qmpPassthrough, limits, logLimits, null);
  }

  /** The same configuration with QEMU under a uid per VM from {@code range} (null: the daemon's user). */
  public DaemonConfig withQemuUids(UidRange range) {
    return new DaemonConfig(httpHost, httpPort, stateDir, qemu, stopVmsOnShutdown, tlsCert, tlsKey, metricsInterval,
        maxBodyBytes, allowedPaths, qmpPassthrough, limits, logLimits, range);
  }

  /** The same configuration with other allowed paths. */
  public DaemonConfig withAllowedPaths(List<Path> paths) {
    return new DaemonConfig(httpHost, httpPort, stateDir, qemu, stopVmsOnShutdown, tlsCert, tlsKey, metricsInterval,
        maxBodyBytes, paths, qmpPassthrough, limits, logLimits, qemuUids);
  }

  /** The same configuration with other edge limits. */
  public DaemonConfig withLimits(EdgeLimits limits) {
    return new DaemonConfig(httpHost, httpPort, stateDir, qemu, stopVmsOnShutdown, tlsCert, tlsKey, metricsInterval,
        maxBodyBytes, allowedPaths, qmpPassthrough, limits, logLimits, qemuUids);
  }

  public boolean tls() {
    return tlsCert != null;
  }

  /** True when the bind address is a loopback address (or name). */
  public boolean loopbackOnly() {
    return httpHost.equals("localhost") || httpHost.startsWith("127.") || httpHost.equals("::1");
  }

  /** The URL a local client uses to reach the API (a wildcard bind is reached through loopback). */
  public String localUrl(int boundPort) {
    String host = httpHost.equals("0.0.0.0") || httpHost.equals("::") ? "127.0.0.1" : httpHost;
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return (tls() ? "https" : "http") + "://" + host + ":" + boundPort;
  }

  public Path tokenFile() {
    return stateDir.resolve("token");
  }

  /** Written at start so the {@code vm} client finds the running daemon's address. */
  public Path endpointFile() {
    return stateDir.resolve("endpoint.json");
  }
}
