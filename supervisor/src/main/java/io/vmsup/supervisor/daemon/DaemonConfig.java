package io.vmsup.supervisor.daemon;

import io.vmsup.supervisor.bridge.TcpBridgeSettings;
import io.vmsup.supervisor.fence.FenceSettings;
import io.vmsup.supervisor.cgroup.CgroupMode;
import io.vmsup.supervisor.cluster.ClusterSettings;
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
 * @param cgroups which cgroup hierarchy each QEMU gets its own cgroup in
 * @param tcpBridge the TCP event-bus bridge (off by default; null: off)
 * @param fence the fencing watchdog (off by default; null: off)
 * @param cluster how the daemon takes part in a fleet; {@link ClusterSettings#disabled()} for a single host
 * @param starts how many VM starts run at once (null: {@code auto})
 * @param pools the event loops and the sizes of Vert.x's blocking pools (null: {@link PoolSettings#defaults()})
 * @param commandTimeout how long one QMP command may take (null: {@link #DEFAULT_COMMAND_TIMEOUT})
 */
public record DaemonConfig(String httpHost, int httpPort, Path stateDir, String qemu, boolean stopVmsOnShutdown,
    Path tlsCert, Path tlsKey, Duration metricsInterval, long maxBodyBytes, List<Path> allowedPaths,
    PassthroughMode qmpPassthrough, EdgeLimits limits, LogLimits logLimits, UidRange qemuUids,
    CgroupMode cgroups, TcpBridgeSettings tcpBridge, FenceSettings fence, ClusterSettings cluster,
    io.vmsup.supervisor.api.StartSettings starts, PoolSettings pools, Duration commandTimeout) {

  /** The QMP command timeout of {@code SupervisorOptions.defaults()}. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);

  public DaemonConfig {
    allowedPaths = List.copyOf(allowedPaths);
    tcpBridge = tcpBridge == null ? TcpBridgeSettings.off() : tcpBridge;
    fence = fence == null ? FenceSettings.off() : fence;
    starts = starts == null ? io.vmsup.supervisor.api.StartSettings.auto() : starts;
    pools = pools == null ? PoolSettings.defaults() : pools;
    commandTimeout = commandTimeout == null ? DEFAULT_COMMAND_TIMEOUT : commandTimeout;
  }

  /**
   * A configuration with defaults for everything after {@code allowedPaths} and {@code qmpPassthrough}; set the rest
   * through {@link #toBuilder()}.
   */
  public DaemonConfig(String httpHost, int httpPort, Path stateDir, String qemu, boolean stopVmsOnShutdown,
      Path tlsCert, Path tlsKey, Duration metricsInterval, long maxBodyBytes, List<Path> allowedPaths,
      PassthroughMode qmpPassthrough) {
    this(httpHost, httpPort, stateDir, qemu, stopVmsOnShutdown, tlsCert, tlsKey, metricsInterval, maxBodyBytes,
        allowedPaths, qmpPassthrough, EdgeLimits.defaults(), LogLimits.defaults(), UidRange.auto(),
        CgroupMode.AUTO, TcpBridgeSettings.off(), FenceSettings.off(), ClusterSettings.disabled(),
        io.vmsup.supervisor.api.StartSettings.auto(), PoolSettings.defaults(), DEFAULT_COMMAND_TIMEOUT);
  }

  /** The same configuration with QEMU under a uid per VM from {@code range} (null: the daemon's user). */
  public DaemonConfig withQemuUids(UidRange range) {
    return toBuilder().qemuUids(range).build();
  }

  /** The same configuration with other allowed paths. */
  public DaemonConfig withAllowedPaths(List<Path> paths) {
    return toBuilder().allowedPaths(paths).build();
  }

  /** The same configuration with other edge limits. */
  public DaemonConfig withLimits(EdgeLimits limits) {
    return toBuilder().limits(limits).build();
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

  /** A builder holding this configuration; a new setting is added here and in the record only. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.httpHost = httpHost;
    b.httpPort = httpPort;
    b.stateDir = stateDir;
    b.qemu = qemu;
    b.stopVmsOnShutdown = stopVmsOnShutdown;
    b.tlsCert = tlsCert;
    b.tlsKey = tlsKey;
    b.metricsInterval = metricsInterval;
    b.maxBodyBytes = maxBodyBytes;
    b.allowedPaths = allowedPaths;
    b.qmpPassthrough = qmpPassthrough;
    b.limits = limits;
    b.logLimits = logLimits;
    b.qemuUids = qemuUids;
    b.cgroups = cgroups;
    b.tcpBridge = tcpBridge;
    b.fence = fence;
    b.cluster = cluster;
    b.starts = starts;
    b.pools = pools;
    b.commandTimeout = commandTimeout;
    return b;
  }

  /** Builds a {@link DaemonConfig}, starting from an existing one through {@link #toBuilder()}. */
  public static final class Builder {
    private String httpHost;
    private int httpPort;
    private Path stateDir;
    private String qemu;
    private boolean stopVmsOnShutdown;
    private Path tlsCert;
    private Path tlsKey;
    private Duration metricsInterval;
    private long maxBodyBytes;
    private List<Path> allowedPaths;
    private PassthroughMode qmpPassthrough;
    private EdgeLimits limits;
    private LogLimits logLimits;
    private UidRange qemuUids;
    private CgroupMode cgroups;
    private TcpBridgeSettings tcpBridge = TcpBridgeSettings.off();
    private FenceSettings fence = FenceSettings.off();
    private ClusterSettings cluster = ClusterSettings.disabled();
    private io.vmsup.supervisor.api.StartSettings starts;
    private PoolSettings pools;
    private Duration commandTimeout;

    private Builder() {
    }

    public Builder httpHost(String httpHost) {
      this.httpHost = httpHost;
      return this;
    }

    public Builder httpPort(int httpPort) {
      this.httpPort = httpPort;
      return this;
    }

    public Builder stateDir(Path stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    public Builder qemu(String qemu) {
      this.qemu = qemu;
      return this;
    }

    public Builder stopVmsOnShutdown(boolean stopVmsOnShutdown) {
      this.stopVmsOnShutdown = stopVmsOnShutdown;
      return this;
    }

    public Builder tlsCert(Path tlsCert) {
      this.tlsCert = tlsCert;
      return this;
    }

    public Builder tlsKey(Path tlsKey) {
      this.tlsKey = tlsKey;
      return this;
    }

    public Builder metricsInterval(Duration metricsInterval) {
      this.metricsInterval = metricsInterval;
      return this;
    }

    public Builder maxBodyBytes(long maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    public Builder allowedPaths(List<Path> allowedPaths) {
      this.allowedPaths = allowedPaths;
      return this;
    }

    public Builder qmpPassthrough(PassthroughMode qmpPassthrough) {
      this.qmpPassthrough = qmpPassthrough;
      return this;
    }

    public Builder limits(EdgeLimits limits) {
      this.limits = limits;
      return this;
    }

    public Builder logLimits(LogLimits logLimits) {
      this.logLimits = logLimits;
      return this;
    }

    public Builder qemuUids(UidRange qemuUids) {
      this.qemuUids = qemuUids;
      return this;
    }

    public Builder cgroups(CgroupMode cgroups) {
      this.cgroups = cgroups;
      return this;
    }

    public Builder tcpBridge(TcpBridgeSettings tcpBridge) {
      this.tcpBridge = tcpBridge;
      return this;
    }

    public Builder fence(FenceSettings fence) {
      this.fence = fence;
      return this;
    }

    public Builder cluster(ClusterSettings cluster) {
      this.cluster = cluster;
      return this;
    }

    public Builder starts(io.vmsup.supervisor.api.StartSettings starts) {
      this.starts = starts;
      return this;
    }

    public Builder pools(PoolSettings pools) {
      this.pools = pools;
      return this;
    }

    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = commandTimeout;
      return this;
    }

    public DaemonConfig build() {
      return new DaemonConfig(httpHost, httpPort, stateDir, qemu, stopVmsOnShutdown, tlsCert, tlsKey, metricsInterval,
          maxBodyBytes, allowedPaths, qmpPassthrough, limits, logLimits, qemuUids, cgroups, tcpBridge, fence, cluster,
          starts, pools, commandTimeout);
    }
  }
}
