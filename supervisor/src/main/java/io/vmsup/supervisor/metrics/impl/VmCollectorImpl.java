package io.vmsup.supervisor.metrics.impl;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.metrics.VmCollector;
import io.vmsup.supervisor.metrics.VmSnapshot;
import io.vmsup.supervisor.metrics.VmSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * Samples each VM on its own timer; a daemon-wide timer follows which VMs exist. A VM whose previous sample is
 * still running (a hung QEMU) is skipped, so nothing piles up and the other VMs keep their pace.
 */
final class VmCollectorImpl implements VmCollector {

  private static final System.Logger LOG = System.getLogger(VmCollectorImpl.class.getName());

  private final Vertx vertx;
  private final MeterRegistry registry;
  private final QmpMetricsImpl qmp;
  private final VmSource source;
  private final Duration qmpTimeout;
  private final Map<String, VmMeters> vms = new HashMap<>();
  private Context context;
  private long timer = -1;
  private MessageConsumer<JsonObject> events;
  private Duration interval;

  VmCollectorImpl(Vertx vertx, MeterRegistry registry, QmpMetricsImpl qmp, VmSource source, Duration qmpTimeout) {
    this.vertx = vertx;
    this.registry = registry;
    this.qmp = qmp;
    this.source = source;
    this.qmpTimeout = qmpTimeout;
  }

  void start(Duration interval) {
    this.interval = interval;
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      timer = vertx.setPeriodic(0, interval.toMillis(), id -> discover());
      // registered on the collector's context, so events and samples touch the meters on one thread
      events = vertx.eventBus().<JsonObject>localConsumer(Addresses.EVENTS, m -> onEvent(m.body()));
    });
  }

  /** A state event moves vmsup_vm_state and vmsup_vm_up at once; a VM not yet tracked is discovered first. */
  private void onEvent(JsonObject event) {
    if (event == null || !"state".equals(event.getString("type")) || !(event.getValue("vm") instanceof String vm)
        || !(event.getValue("to") instanceof String to)) {
      return;
    }
    VmMeters meters = vms.get(vm);
    if (meters != null) {
      meters.transition(to);
    } else {
      discover().onSuccess(all -> {
        VmMeters found = vms.get(vm);
        if (found != null) {
          found.transition(to);
        }
      });
    }
  }

  @Override
  public Future<Void> collectNow() {
    return Future.<Void>future(p -> context.runOnContext(v -> discover()
        .compose(all -> Future.join(all.stream().map(this::sampleIfIdle).toList()).<Void>mapEmpty())
        .onComplete(p)));
  }

  @Override
  public void stop() {
    context.runOnContext(v -> {
      vertx.cancelTimer(timer);
      if (events != null) {
        events.unregister();
      }
      vms.values().forEach(m -> vertx.cancelTimer(m.timer));
    });
  }

  /** Follows the set of VMs: new ones get meters and their own sampling timer, vanished ones lose both. */
  private Future<List<VmMeters>> discover() {
    return Future.fromCompletionStage(source.vms().toCompletionStage(), context).map(list -> {
      Set<String> present = new HashSet<>();
      for (VmSnapshot snapshot : list) {
        present.add(snapshot.name());
        VmMeters meters = vms.get(snapshot.name());
        if (meters == null) {
          meters = track(snapshot.name());
          vms.put(snapshot.name(), meters);
          meters.update(snapshot);
          meters.firstSeen();
        } else {
          meters.update(snapshot);
        }
      }
      vms.entrySet().removeIf(e -> {
        if (present.contains(e.getKey())) {
          return false;
        }
        vertx.cancelTimer(e.getValue().timer);
        qmp.deleted(e.getKey());
        e.getValue().removeAll();
        return true;
      });
      return List.copyOf(vms.values());
    }).recover(err -> {
      LOG.log(System.Logger.Level.DEBUG, "metrics: listing VMs failed: {0}", err.toString());
      return Future.succeededFuture(List.copyOf(vms.values()));
    });
  }

  // each VM samples on its own timer with a random phase: a thousand VMs do not all query QMP in the same tick
  private VmMeters track(String name) {
    qmp.tracked(name);
    VmMeters meters = new VmMeters(registry, qmp, name, VmStates.ALL);
    long period = interval.toMillis();
    meters.timer = vertx.setPeriodic(1 + ThreadLocalRandom.current().nextLong(period), period,
        id -> sampleIfIdle(meters));
    return meters;
  }

  /** A VM whose last sample is still pending (a hung QEMU) is not sampled again; callers wait for that one. */
  private Future<Void> sampleIfIdle(VmMeters meters) {
    return meters.inflight != null ? meters.inflight : sample(meters, meters.snapshot);
  }

  private Future<Void> sample(VmMeters meters, VmSnapshot snapshot) {
    if (!snapshot.hasProcess()) {
      meters.stale();
      return Future.succeededFuture();
    }
    Future<Void> proc = ProcStats.read(vertx.fileSystem(), snapshot.pid()).map(stats -> {
      meters.processFigures(stats.cpuSeconds(), stats.rssBytes());
      return (Void) null;
    }).otherwiseEmpty();
    Future<Void> qmpSample = queryQmp(meters, snapshot);
    Future<Void> cgroup = Future.fromCompletionStage(source.cgroupUsage(snapshot.name()).toCompletionStage(), context)
        .map(u -> {
          meters.cgroupFigures(u);
          return (Void) null;
        }).otherwiseEmpty();
    Future<Void> nics = Future.fromCompletionStage(source.nicCounters(snapshot.name()).toCompletionStage(), context)
        .map(n -> {
          meters.nicFigures(n);
          return (Void) null;
        }).otherwiseEmpty();
    Future<Void> done = Future.join(List.of(proc, qmpSample, cgroup, nics)).<Void>mapEmpty().otherwiseEmpty()
        .andThen(x -> meters.inflight = null);
    if (!done.isComplete()) {
      meters.inflight = done;
    }
    return done;
  }

  private Future<Void> queryQmp(VmMeters meters, VmSnapshot snapshot) {
    String vm = snapshot.name();
    Future<Object> version = meters.infoRegistered ? Future.succeededFuture() : query(vm, "query-version");
    Future<Object> cpus = query(vm, "query-cpus-fast");
    Future<Object> blocks = query(vm, "query-blockstats");
    Future<Object> nodes = query(vm, "query-named-block-nodes");
    return Future.all(version, cpus, blocks, nodes).map(v -> {
      if (version.result() instanceof JsonObject json) {
        meters.info(QmpResults.version(json), snapshot.machine());
      }
      // machine none creates no vCPU (QEMU lists none) unless the spec names a cpu: its vCPUs are what the spec says
      int vcpus = cpus.result() instanceof JsonArray a && !a.isEmpty() ? a.size() : snapshot.specCpus();
      meters.fresh(vcpus, QmpResults.blockstats(blocks.result()));
      meters.diskSizes(DiskSizes.of(nodes.result()));
      return (Void) null;
    }).recover(err -> {
      meters.unanswered();
      if (hasTimeout(version, cpus, blocks, nodes)) {
        qmp.timedOut(vm);
      }
      return Future.succeededFuture();
    });
  }

  // the QMP client completes on its own context: come back to ours before touching the meters
  private Future<Object> query(String vm, String command) {
    return Future.fromCompletionStage(source.query(vm, command, qmpTimeout).toCompletionStage(), context);
  }

  private static boolean hasTimeout(Future<?>... futures) {
    for (Future<?> f : futures) {
      // a QmpTimeoutException was already counted by the client's observer (outcome "timeout")
      if (f.failed() && f.cause() instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }
}
