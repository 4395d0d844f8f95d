package io.vmsup.supervisor.daemon;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.micrometer.core.instrument.MeterRegistry;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.supervisor.Supervisor;
import io.vmsup.supervisor.cluster.ClusterSettings;
import io.vmsup.supervisor.cluster.Fleet;
import io.vmsup.supervisor.api.SupervisorOptions;
import io.vmsup.supervisor.api.VmHandle;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.metrics.QmpMetrics;
import io.vmsup.supervisor.metrics.VmSnapshot;
import io.vmsup.supervisor.metrics.VmSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The real supervisor core behind the daemon, and its VMs as the metrics collector reads them. */
public final class SupervisorBinding implements CoreBinding, VmSource {

  private final Vertx vertx;
  private final Supervisor supervisor;
  private final Fleet fleet;
  private final Path stateDir;

  private SupervisorBinding(Vertx vertx, Supervisor supervisor, Fleet fleet, Path stateDir) {
    this.vertx = vertx;
    this.supervisor = supervisor;
    this.fleet = fleet;
    this.stateDir = stateDir;
  }

  /** A {@link CoreBinding.Starter} for {@link Daemon#start}. */
  public static Future<CoreBinding> start(Vertx vertx, DaemonConfig config, QmpMetrics qmpMetrics) {
    SupervisorOptions options = SupervisorOptions.defaults()
        .withStateDir(config.stateDir())
        // QEMU runs in its VM's directory: a relative path to the binary is made absolute from the daemon's
        .withQemuBinary(config.qemu().contains("/") ? Path.of(config.qemu()).toAbsolutePath().toString()
            : config.qemu())
        .withAllowedPaths(config.allowedPaths())
        .withLogLimits(config.logLimits())
        .withQmpPassthrough(config.qmpPassthrough())
        .withQemuUids(config.qemuUids())
        .toBuilder().cgroups(config.cgroups()).starts(config.starts()).build()
        .withStopOnShutdown(config.stopVmsOnShutdown())
        .withCommandTimeout(config.commandTimeout())
        .withQmpObservers(qmpMetrics::observer);
    ClusterSettings cluster = config.cluster();
    return vertx.<Void>executeBlocking(() -> {
      refuseSecretInsideRoots("tlsKey", config.tlsKey(), options);
      if (cluster.enabled()) {
        refuseSecretInsideRoots("cluster key", cluster.keyFile(), options);
      }
      return null;
    }, false)
        .compose(x -> cluster.enabled() ? Fleet.join(vertx, cluster,
            config.fence().enabled() ? config.fence().fenceAfter() : null) : Future.<Fleet>succeededFuture(null))
        .compose(fleet -> Supervisor.start(vertx, fleet == null ? options
                : options.toBuilder().fleet(fleet.hooks()).build())
            .compose(s -> (fleet == null ? Fleet.single(vertx, s) : fleet.serve(s)).map(s))
            .map(s -> new SupervisorBinding(vertx, s, fleet, config.stateDir())));
  }

  @Override
  public java.util.function.BooleanSupplier standing() {
    return fleet == null ? () -> true : fleet.standing();
  }

  @Override
  public void bindMeters(MeterRegistry registry) {
    io.vmsup.supervisor.image.ImageStoreMeters.bind(stateDir, registry);
    if (fleet != null) {
      fleet.bindMeters(registry);
    }
  }

  /** A spec may name any file inside the roots (fwCfg, disk, 9p): a private key must not be one of them. */
  private static void refuseSecretInsideRoots(String what, Path key, SupervisorOptions options) {
    if (key != null && options.pathRoots().problem(key.toAbsolutePath().toString()).isEmpty()) {
      throw new IllegalStateException(what + " " + key + " lies inside the path roots " + options.pathRoots().roots()
          + ", where a VM spec could hand it to a guest (fwCfg, disk, 9p): keep it outside the state directory and"
          + " allowedPaths");
    }
  }

  @Override
  public VmSource vmSource() {
    return this;
  }

  @Override
  public Future<io.vmsup.supervisor.cgroup.CgroupUsage> cgroupUsage(String vm) {
    var group = supervisor.cgroups() == null ? null : supervisor.cgroups().current(vm).orElse(null);
    return group == null ? Future.succeededFuture()
        : vertx.executeBlocking(group::usage, false).otherwise((io.vmsup.supervisor.cgroup.CgroupUsage) null);
  }

  @Override
  public Future<java.util.Map<String, io.vmsup.supervisor.cgroup.CgroupUsage>> cgroupUsages(List<String> vms) {
    if (supervisor.cgroups() == null) {
      return Future.succeededFuture(java.util.Map.of());
    }
    // one worker task for a whole sampling tick's VMs, not one per VM
    return vertx.executeBlocking(() -> {
      java.util.Map<String, io.vmsup.supervisor.cgroup.CgroupUsage> out = new java.util.HashMap<>();
      for (String vm : vms) {
        var group = supervisor.cgroups().current(vm).orElse(null);
        try {
          var usage = group == null ? null : group.usage();
          if (usage != null) {
            out.put(vm, usage);
          }
        } catch (RuntimeException e) {
          // one VM's unreadable counters are absent; the others are kept
        }
      }
      return out;
    }, false).otherwise(java.util.Map.of());
  }

  @Override
  public java.util.List<io.vmsup.supervisor.fence.Victim> relocatable() {
    return supervisor.vms().stream().filter(h -> h.pid() > 0 && relocates(h.spec()))
        .map(h -> new io.vmsup.supervisor.fence.Victim(h.name(), h.pid())).toList();
  }

  private static boolean relocates(io.vertx.core.json.JsonObject spec) {
    return spec != null && spec.getValue("supervision") instanceof io.vertx.core.json.JsonObject s
        && io.vmsup.config.HostLossPolicy.RELOCATE.json().equals(s.getValue("onHostLoss"));
  }

  @Override
  public Future<java.util.Map<String, java.util.Map<String, Long>>> nicCounters(String vm) {
    JsonObject spec = supervisor.vm(vm).map(VmHandle::spec).orElse(null);
    java.util.Map<String, String> taps = new java.util.LinkedHashMap<>();
    for (Object d : spec == null ? new io.vertx.core.json.JsonArray() : spec.getJsonArray("devices",
        new io.vertx.core.json.JsonArray())) {
      if (d instanceof JsonObject o && o.getValue("network") instanceof String && o.getValue("id") instanceof String id) {
        taps.put(id, io.vmsup.config.Nic.tapName(vm, id));
      }
    }
    if (taps.isEmpty()) {
      return Future.succeededFuture(java.util.Map.of());
    }
    return vertx.executeBlocking(() -> {
      java.util.Map<String, java.util.Map<String, Long>> out = new java.util.LinkedHashMap<>();
      taps.forEach((id, tap) -> {
        var c = io.vmsup.supervisor.network.Taps.counters(tap);
        if (!c.isEmpty()) {
          out.put(id, c);
        }
      });
      return out;
    }, false).otherwise(java.util.Map.of());
  }

  @Override
  public Future<Void> shutdown() {
    return fleet == null ? supervisor.shutdown() : supervisor.shutdown().eventually(fleet::leave);
  }

  @Override
  public Future<List<VmSnapshot>> vms() {
    return Future.succeededFuture(supervisor.vms().stream().map(SupervisorBinding::snapshot).toList());
  }

  @Override
  public <T> Future<T> query(String vm, QmpCommand<T> command, Duration timeout) {
    // the VM's actor runs the query on its own connection; the QMP client's observer counts a QMP timeout there
    return vertx.eventBus().<JsonObject>request(Addresses.QUERY, QueryWire.one(command).put("name", vm)
            .put("timeoutMs", timeout.toMillis()),
            new DeliveryOptions().setSendTimeout(timeout.plusSeconds(5).toMillis()))
        .compose(m -> QueryWire.decode(command, m.body().getValue("return")));
  }

  @Override
  public Future<List<AsyncResult<?>>> queries(String vm, List<QmpCommand<?>> commands, Duration timeout) {
    // straight to the VM's actor (its own context and connection), not through the bus and the registry's thread:
    // at 10,000 VMs the collector asks 200 samples a second
    return supervisor.queries(vm, commands, timeout);
  }

  static VmSnapshot snapshot(VmHandle h) {
    double startSeconds = h.lastStartDuration() == null ? Double.NaN : h.lastStartDuration().toNanos() / 1e9;
    return new VmSnapshot(h.name(), h.state().json(), h.pid() > 0 ? h.pid() : -1, h.restarts(), startSeconds,
        h.startedAt(), machine(h.spec()), cpus(h.spec()));
  }

  /** {@code smp.cpus} of a spec (1 when absent, as config-model defaults it). */
  static int cpus(JsonObject spec) {
    Object smp = spec == null ? null : spec.getValue("smp");
    return smp instanceof JsonObject s && s.getValue("cpus") instanceof Number n ? n.intValue() : 1;
  }

  /** The machine type from a spec: {@code "machine": "q35"} or {@code "machine": {"type": "q35"}}. */
  static String machine(JsonObject spec) {
    Object machine = spec == null ? null : spec.getValue("machine");
    if (machine instanceof String s) {
      return s;
    }
    if (machine instanceof JsonObject m && m.getValue("type") instanceof String t) {
      return t;
    }
    return "unknown";
  }
}
