package io.vmsup.supervisor.api;

import io.vmsup.config.PathRoots;
import io.vmsup.supervisor.launch.LogLimits;
import io.vmsup.qmp.QmpObserver;
import io.vmsup.supervisor.launch.UidRange;
import io.vmsup.supervisor.policy.PassthroughMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Daemon settings.
 *
 * @param stateDir       where specs, desired states, runtime records, sockets and logs live (default
 *                       {@code ./vmsup-data}); keep its absolute path short, a unix socket path has at most 107 bytes
 * @param qemuBinary     the QEMU system emulator to run (a name on PATH or a path); replaces argv[0] of the render
 * @param commandTimeout how long one QMP command may take before the request fails UNAVAILABLE (503)
 * @param startTimeout   spawn → QMP answers {@code query-status}; beyond it the start ends FAILED
 * @param stopOnShutdown whether {@link io.vmsup.supervisor.Supervisor#shutdown()} stops VMs through the ladder (default: leave them up)
 * @param qmpObservers   the observer of each VM's QMP connection, by VM name (metrics); default none
 * @param allowedPaths   host directories (or files) a spec's host paths may name besides the state directory; default
 *                       {@value #DEFAULT_ALLOWED_PATH}; see {@link #pathRoots()}
 * @param qmpPassthrough whether raw QMP commands that reach outside the VM are refused (default) or run and taint it
 * @param logLimits      size cap and rotation of each VM's {@code qemu.log} and {@code serial.log} while it runs
 * @param qemuUids       run each QEMU under a uid of its own from this range (see {@code launch.Confinement}); null
 *                       runs QEMU as the daemon's user; default {@link UidRange#auto()}: the default range as root
 * @param cgroups        which cgroup hierarchy each QEMU gets a cgroup of its own in ({@code cgroup.Cgroups}); default
 *                       {@code AUTO}
 * @param fleet          where the registry meets a fleet: its addresses and the fleet-wide directory of names;
 *                       {@link FleetHooks#single()} (default) on a single host
 * @param starts         how many starts run at once ({@link StartSettings#auto()} by default)
 */
public record SupervisorOptions(Path stateDir, String qemuBinary, Duration commandTimeout, Duration startTimeout,
    boolean stopOnShutdown, Function<String, QmpObserver> qmpObservers, List<Path> allowedPaths,
    PassthroughMode qmpPassthrough, LogLimits logLimits, UidRange qemuUids,
    io.vmsup.supervisor.cgroup.CgroupMode cgroups, FleetHooks fleet, StartSettings starts) {

  /** The packaged default of {@code allowedPaths}. */
  public static final String DEFAULT_ALLOWED_PATH = "/var/lib/vmsup";

  /** The state directory's own entries a spec may never name (every VM's directory, the daemon's files). */
  public static final List<String> RESERVED = List.of("vms", "token", "token.read", "endpoint.json", "audit",
      "images", "format.json", "upgrade.json", "format-backups");

  public SupervisorOptions {
    allowedPaths = List.copyOf(allowedPaths);
  }

  public static SupervisorOptions defaults() {
    return new SupervisorOptions(Path.of("vmsup-data"), "qemu-system-x86_64", Duration.ofSeconds(5),
        Duration.ofSeconds(30), false, vm -> QmpObserver.NOOP, List.of(Path.of(DEFAULT_ALLOWED_PATH)),
        PassthroughMode.RESTRICTED, LogLimits.defaults(), UidRange.auto(),
        io.vmsup.supervisor.cgroup.CgroupMode.AUTO, FleetHooks.single(), StartSettings.auto());
  }

  /**
   * Where a spec's host paths may point: the state directory and every {@code allowedPaths} entry, except the state
   * directory's {@link #RESERVED} entries (the image store {@code images/} among them: a disk names an image with
   * {@code image}, never by path, so no spec can write a base image).
   */
  public PathRoots pathRoots() {
    Path state = stateDir.toAbsolutePath().normalize();
    List<Path> roots = new ArrayList<>();
    roots.add(state);
    allowedPaths.forEach(p -> roots.add(p.toAbsolutePath()));
    return new PathRoots(roots, RESERVED.stream().map(state::resolve).toList());
  }

  public SupervisorOptions withStateDir(Path stateDir) {
    return toBuilder().stateDir(stateDir).build();
  }

  public SupervisorOptions withQemuBinary(String qemuBinary) {
    return toBuilder().qemuBinary(qemuBinary).build();
  }

  public SupervisorOptions withCommandTimeout(Duration commandTimeout) {
    return toBuilder().commandTimeout(commandTimeout).build();
  }

  public SupervisorOptions withStartTimeout(Duration startTimeout) {
    return toBuilder().startTimeout(startTimeout).build();
  }

  public SupervisorOptions withStopOnShutdown(boolean stopOnShutdown) {
    return toBuilder().stopOnShutdown(stopOnShutdown).build();
  }

  public SupervisorOptions withQmpObservers(Function<String, QmpObserver> qmpObservers) {
    return toBuilder().qmpObservers(qmpObservers).build();
  }

  public SupervisorOptions withAllowedPaths(List<Path> allowedPaths) {
    return toBuilder().allowedPaths(allowedPaths).build();
  }

  public SupervisorOptions withQmpPassthrough(PassthroughMode qmpPassthrough) {
    return toBuilder().qmpPassthrough(qmpPassthrough).build();
  }

  public SupervisorOptions withLogLimits(LogLimits logLimits) {
    return toBuilder().logLimits(logLimits).build();
  }

  public SupervisorOptions withQemuUids(UidRange qemuUids) {
    return toBuilder().qemuUids(qemuUids).build();
  }

  /** A builder holding these options, to change several at once; add a new option here and in the record only. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.stateDir = stateDir;
    b.qemuBinary = qemuBinary;
    b.commandTimeout = commandTimeout;
    b.startTimeout = startTimeout;
    b.stopOnShutdown = stopOnShutdown;
    b.qmpObservers = qmpObservers;
    b.allowedPaths = allowedPaths;
    b.qmpPassthrough = qmpPassthrough;
    b.logLimits = logLimits;
    b.qemuUids = qemuUids;
    b.cgroups = cgroups;
    b.fleet = fleet;
    b.starts = starts;
    return b;
  }

  /** Builds {@link SupervisorOptions}; starts from {@link #defaults()} through {@link #toBuilder()}. */
  public static final class Builder {
    private Path stateDir;
    private String qemuBinary;
    private Duration commandTimeout;
    private Duration startTimeout;
    private boolean stopOnShutdown;
    private Function<String, QmpObserver> qmpObservers;
    private List<Path> allowedPaths;
    private PassthroughMode qmpPassthrough;
    private LogLimits logLimits;
    private UidRange qemuUids;
    private io.vmsup.supervisor.cgroup.CgroupMode cgroups;
    private FleetHooks fleet;
    private StartSettings starts;

    private Builder() {
    }

    public Builder stateDir(Path stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    public Builder qemuBinary(String qemuBinary) {
      this.qemuBinary = qemuBinary;
      return this;
    }

    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = commandTimeout;
      return this;
    }

    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    public Builder stopOnShutdown(boolean stopOnShutdown) {
      this.stopOnShutdown = stopOnShutdown;
      return this;
    }

    public Builder qmpObservers(Function<String, QmpObserver> qmpObservers) {
      this.qmpObservers = qmpObservers;
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

    public Builder logLimits(LogLimits logLimits) {
      this.logLimits = logLimits;
      return this;
    }

    public Builder qemuUids(UidRange qemuUids) {
      this.qemuUids = qemuUids;
      return this;
    }

    public Builder cgroups(io.vmsup.supervisor.cgroup.CgroupMode cgroups) {
      this.cgroups = cgroups;
      return this;
    }

    public Builder fleet(FleetHooks fleet) {
      this.fleet = fleet;
      return this;
    }

    public Builder starts(StartSettings starts) {
      this.starts = starts;
      return this;
    }

    public SupervisorOptions build() {
      return new SupervisorOptions(stateDir, qemuBinary, commandTimeout, startTimeout, stopOnShutdown, qmpObservers,
          allowedPaths, qmpPassthrough, logLimits, qemuUids, cgroups, fleet, starts);
    }
  }
}
