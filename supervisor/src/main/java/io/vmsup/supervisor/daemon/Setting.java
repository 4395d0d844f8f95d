package io.vmsup.supervisor.daemon;

import io.vmsup.supervisor.bridge.TcpBridgeSettings;
import io.vmsup.supervisor.fence.FenceSettings;
import io.vmsup.supervisor.launch.UidRange;

import io.vmsup.supervisor.http.EdgeLimits;
import java.time.Duration;

/**
 * Every daemon setting, in one table: its key in the JSON config file, its command-line flag, its environment
 * variable and its default. Precedence: default &lt; config file &lt; environment &lt; flag.
 */
public enum Setting {
  HTTP_HOST("httpHost", "127.0.0.1", "address the HTTP API binds to (0.0.0.0 for all; use TLS then)"),
  HTTP_PORT("httpPort", "7480", "TCP port of the HTTP API"),
  STATE_DIR("stateDir", "./vmsup-data", "state directory: VM specs and runtime files, logs, the token"),
  QEMU("qemu", "qemu-system-x86_64", "QEMU system emulator: a path, or a name looked up on PATH"),
  STOP_VMS_ON_SHUTDOWN("stopVmsOnShutdown", "false",
      "stop every VM (powerdown, quit, SIGTERM, SIGKILL) when the daemon stops; false leaves them running"),
  TLS_CERT("tlsCert", "", "PEM certificate chain; with tlsKey the API is served over HTTPS"),
  TLS_KEY("tlsKey", "", "PEM private key for tlsCert"),
  METRICS_INTERVAL("metricsIntervalSeconds", "5", "seconds between per-VM metric samples"),
  MAX_BODY_BYTES("maxBodyBytes", "1048576", "largest accepted request body, bytes"),
  LOG_MAX_BYTES("logMaxBytes", "10485760",
      "size at which a running VM's qemu.log or serial.log is rotated (copied to .1, truncated in place), bytes"),
  LOG_KEEP("logKeep", "3", "rotated files kept per log (qemu.log.1 ... qemu.log.N)"),
  LOG_CHECK_SECONDS("logCheckSeconds", "10", "seconds between checks of the log sizes"),
  ALLOWED_PATHS("allowedPaths", "/var/lib/vmsup",
      "host directories (or files) VM specs may name besides the state directory; ':'-separated (a JSON array in"
      + " the config file)"),
  QEMU_UIDS("qemuUids", "auto",
      "run each QEMU through setpriv under a uid of its own from FIRST-LAST, with POSIX ACLs granting it only its"
      + " own files and /dev/kvm; auto: " + UidRange.DEFAULT + " when the daemon runs as root, else off; off runs"
      + " QEMU as the daemon's user"),
  QMP_PASSTHROUGH("qmpPassthrough", "restricted",
      "raw QMP commands that reach outside the VM (HMP, exec: migration, host files): restricted refuses them,"
      + " unrestricted runs them and marks the VM tainted"),
  HEADER_TIMEOUT("headerTimeoutSeconds", seconds(EdgeLimits.defaults().headerTimeout()),
      "seconds a new connection has to send its first complete request header; then it is closed"),
  IDLE_TIMEOUT("idleTimeoutSeconds", seconds(EdgeLimits.defaults().idleTimeout()),
      "seconds a connection may stay open with no request in flight (keep-alive)"),
  MAX_UNAUTHENTICATED_CONNECTIONS("maxUnauthenticatedConnections",
      String.valueOf(EdgeLimits.defaults().maxUnauthenticated()),
      "open connections that have not presented the token, in all; more are closed at accept"),
  MAX_UNAUTHENTICATED_PER_ADDRESS("maxUnauthenticatedConnectionsPerAddress",
      String.valueOf(EdgeLimits.defaults().maxUnauthenticatedPerAddress()),
      "open connections that have not presented the token, per client address"),
  MAX_AUTHENTICATED_CONNECTIONS("maxAuthenticatedConnections",
      String.valueOf(EdgeLimits.defaults().maxAuthenticated()),
      "open connections that presented the token (counted apart from the others)"),
  MUTATING_RATE("mutatingRequestsPerSecond", String.valueOf(EdgeLimits.defaults().mutatingPerSecond()),
      "sustained POST/PUT/PATCH/DELETE requests per second (authenticated: one budget; others: per address); 429"),
  MUTATING_BURST("mutatingRequestsBurst", String.valueOf(EdgeLimits.defaults().mutatingBurst()),
      "mutating requests admitted at once before mutatingRequestsPerSecond applies"),
  BRIDGE_BUFFER_BYTES("bridgeBufferBytes", String.valueOf(EdgeLimits.defaults().bridgeBufferBytes()),
      "bytes queued for one event-bus bridge socket before it is closed as a slow consumer"),
  CGROUPS("cgroups", "auto",
      "a cgroup per QEMU (limits of the spec's resources, kill switch, CPU/memory metrics, OOM evidence): auto (v2"
      + " where the host delegates memory, cpu and pids, else v1), v1, v2, or off"),
  TCP_BRIDGE_PORT("tcpBridgePort", "off",
      "TCP port of the event-bus bridge for services not on the JVM (frames of a 4-byte length and JSON, the token in"
      + " each frame's headers; docs/fleet.md), 0 for any free port; off: no TCP bridge"),
  TCP_BRIDGE_HOST("tcpBridgeHost", "127.0.0.1",
      "address the TCP bridge binds to (served with TLS when tlsCert and tlsKey are set)"),
  TCP_BRIDGE_MAX_FRAME_BYTES("tcpBridgeMaxFrameBytes", String.valueOf(TcpBridgeSettings.DEFAULT_MAX_FRAME_BYTES),
      "largest frame a TCP bridge client may send, bytes; a larger one closes its connection"),
  TCP_BRIDGE_MAX_CONNECTIONS("tcpBridgeMaxConnections", String.valueOf(TcpBridgeSettings.DEFAULT_MAX_CONNECTIONS),
      "open TCP bridge connections at once; more are closed at accept"),
  FENCE("fence", "off",
      "on: run the fencing watchdog (a separate process) and renew its lease; when the lease is not renewed for"
      + " fenceAfterSeconds (daemon killed, frozen or cut off) it kills the VMs whose spec says"
      + " supervision.onHostLoss: relocate. Needed on every fleet member with relocatable VMs"),
  FENCE_AFTER("fenceAfterSeconds", String.valueOf(FenceSettings.DEFAULT_FENCE_AFTER.toSeconds()),
      "seconds the fencing lease lasts without a renewal (renewed five times as often)"),
  CLUSTER("cluster", "false",
      "join a fleet (a Hazelcast cluster, TCP/IP join, event bus over mutual TLS); false runs a single host"),
  HOST_ID("hostId", "",
      "this member's id in the fleet (lowercase letters, digits, '-'; default: the short hostname); a live member"
      + " holding it keeps a second daemon out"),
  CLUSTER_NAME("clusterName", "vmsup", "the cluster's name: a member with another name is not admitted"),
  CLUSTER_MEMBERS("clusterMembers", "",
      "members to join through, HOST:PORT,... (their clusterPort); multicast is never used"),
  CLUSTER_HOST("clusterHost", "127.0.0.1",
      "address the membership and event-bus ports bind to: a private address (see docs/fleet.md)"),
  CLUSTER_PUBLIC_HOST("clusterPublicHost", "", "address the other members reach this one at (default: clusterHost)"),
  CLUSTER_PORT("clusterPort", "5701", "membership (Hazelcast) TCP port"),
  CLUSTER_BUS_PORT("clusterBusPort", "5801", "event-bus TCP port (mutual TLS with the cluster CA)"),
  CLUSTER_TLS_DIR("clusterTlsDir", "",
      "directory with ca.pem, member.pem, member-key.pem (made by 'vmsup cluster init'); outside the path roots"),
  CLUSTER_FAILURE_SECONDS("clusterFailureSeconds", "5",
      "seconds without a heartbeat after which a member is declared lost (its VMs show UNKNOWN host-lost)"),
  HOST_LABELS("hostLabels", "", "this host's labels for placement constraints, KEY=VALUE,... (a JSON object in the"
      + " config file)"),
  MAX_CONCURRENT_STARTS("maxConcurrentStarts", "auto",
      "VM starts run at once (spawn until QMP answers); more wait in order, STARTING, with a start-queue event, and"
      + " a stop, kill or delete takes a waiting one out; auto: four times the CPUs, at least 4 (here "
      + io.vmsup.supervisor.api.StartSettings.autoCount() + ")"),
  EVENT_LOOPS("eventLoops", "auto", "Vert.x event-loop threads (HTTP, the bus, every VM's actor and QMP connection);"
      + " auto: twice the CPUs (here " + PoolSettings.autoEventLoops() + ")"),
  WORKER_POOL_SIZE("workerPoolSize", "20", "blocking tasks run at once (process starts, record writes and their"
      + " fsyncs, /proc and cgroup reads, qemu-img, ip and nft); a thread ends after 2 s without work"),
  INTERNAL_BLOCKING_POOL_SIZE("internalBlockingPoolSize", "20", "Vert.x's own file-system calls run at once; a"
      + " thread ends after 2 s without work"),
  COMMAND_TIMEOUT_SECONDS("commandTimeoutSeconds", "5", "seconds one QMP command may take before its request fails"
      + " 503 (QEMU hung or stopped); 1-3600");

  private final String key;
  private final String defaultValue;
  private final String description;

  Setting(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** Key in the JSON config file. */
  public String key() {
    return key;
  }

  /** Command-line flag: {@code --http-host}. */
  public String flag() {
    return "--" + name().toLowerCase().replace('_', '-');
  }

  /** Environment variable: {@code VMSUP_HTTP_HOST}. */
  public String env() {
    return "VMSUP_" + name();
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  private static String seconds(Duration d) {
    return String.valueOf(d.toSeconds());
  }

  /** Boolean settings may be given as a bare flag. */
  public boolean isBoolean() {
    return this == STOP_VMS_ON_SHUTDOWN || this == CLUSTER;
  }
}
