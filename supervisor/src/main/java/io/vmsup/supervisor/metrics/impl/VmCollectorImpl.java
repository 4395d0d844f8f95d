package io.vmsup.supervisor.metrics.impl;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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

/**
 * Samples every VM in turn on one timer, within a host-wide budget: the interval is cut into {@link #SLOTS} ticks and
 * each tick samples the next VMs in a round (a tenth of them, at most the budget's share of a tick), so the VMs are
 * spread evenly and the daemon never sends more than {@code samplesPerSecond} samples a second: a VM is sampled
 * every interval while {@code VMs <= samplesPerSecond x interval}, and every {@code VMs / samplesPerSecond} seconds
 * beyond (10,000 VMs at 200/s: every 50 s). The {@code /proc} figures and cgroup counters of a tick's VMs are read in
 * one worker task each. Each round starts by following which VMs exist; state events of VMs not tracked yet are
 * kept for one listing soon after the first (100 ms, plus 1 ms per 10 VMs listed, at most a tick). A VM whose previous
 * sample is still running (a hung QEMU) is skipped, so nothing piles up; one VM's failed read or query costs only its
 * own figures.
 */
final class VmCollectorImpl implements VmCollector {

  private static final System.Logger LOG = System.getLogger(VmCollectorImpl.class.getName());

  private final Vertx vertx;
  private final MeterRegistry registry;
  private final VmMeterIndex index;
  private final QmpMetricsImpl qmp;
  private final VmSource source;
  private final Duration qmpTimeout;
  private final Map<String, VmMeters> vms = new HashMap<>();
  private Context context;
  private long timer = -1;
  private MessageConsumer<JsonObject> events;
  private Duration interval;
  private final List<VmMeters> round = new java.util.ArrayList<>();
  private final Map<String, String> unseen = new HashMap<>();
  private final int samplesPerSecond;
  private int cursor;
  private int ticks = SLOTS; // ticks of the current round: a round starts at most once per interval
  private Future<List<VmMeters>> discovering;
  private boolean stopped; // by stop(): no tick, listing or collection starts any more

  /** Ticks per interval. */
  static final int SLOTS = 10;

  VmCollectorImpl(Vertx vertx, MeterRegistry registry, QmpMetricsImpl qmp, VmSource source, Duration qmpTimeout,
      int samplesPerSecond) {
    this.samplesPerSecond = Math.max(1, samplesPerSecond);
    this.vertx = vertx;
    this.registry = registry;
    this.index = VmMeterIndex.of(registry);
    this.qmp = qmp;
    this.source = source;
    this.qmpTimeout = qmpTimeout;
  }

  void start(Duration interval) {
    this.interval = interval;
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      timer = vertx.setPeriodic(0, Math.max(1, interval.toMillis() / SLOTS), id -> tick());
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
      // one listing soon for all the VMs that appear meanwhile; later the more VMs there are to list
      if (unseen.isEmpty()) {
        long tickMs = Math.max(1, interval.toMillis() / SLOTS);
        vertx.setTimer(Math.min(tickMs, 100 + round.size() / 10), t -> {
          if (!unseen.isEmpty() && !stopped) {
            discover();
          }
        });
      }
      unseen.put(vm, to);
    }
  }

  @Override
  public Future<Void> collectNow() {
    return Future.<Void>future(p -> context.runOnContext(v -> (stopped ? Future.<Void>succeededFuture()
        : discover().compose(this::sampleAll)).onComplete(p)));
  }

  private void tick() {
    if (stopped) {
      return; // a tick already queued when the stop cancelled the timer
    }
    // fewer VMs than ticks: the round's last ticks sample nothing (else a VM is sampled every tick, not interval)
    boolean newRound = cursor >= round.size() && ticks >= SLOTS;
    Future<List<VmMeters>> listed = newRound || !unseen.isEmpty() ? discover() : Future.succeededFuture(round);
    listed.onSuccess(list -> {
      if (newRound) {
        cursor = 0;
        ticks = 0;
      }
      ticks++;
      if (cursor >= round.size()) {
        return;
      }
      long perTick = Math.max(1, samplesPerSecond * Math.max(1, interval.toMillis() / SLOTS) / 1000);
      int take = (int) Math.min(perTick, Math.max(1, (round.size() + SLOTS - 1) / SLOTS));
      int end = Math.min(round.size(), cursor + take);
      List<VmMeters> batch = List.copyOf(round.subList(Math.min(cursor, end), end));
      cursor = end;
      sampleAll(batch);
    });
  }

  @Override
  public Future<Void> stop() {
    return Future.future(p -> context.runOnContext(v -> {
      stopped = true;
      vertx.cancelTimer(timer);
      Future<Void> unregistered = events == null ? Future.succeededFuture() : events.unregister();
      // the samples already asked end first (each within its QMP timeout): the VMs' actors still answer them, where
      // a shutdown under way would discard each request queued at an actor (10,000 VMs: hundreds, each a warning)
      Future.join(vms.values().stream().map(m -> m.inflight).filter(java.util.Objects::nonNull).toList())
          .<Void>mapEmpty().otherwiseEmpty().compose(x -> unregistered.otherwiseEmpty()).onComplete(p);
    }));
  }

  /** Follows the set of VMs: new ones get meters and their own sampling timer, vanished ones lose both. */
  private Future<List<VmMeters>> discover() {
    if (discovering != null && !discovering.isComplete()) {
      return discovering; // one listing at a time, however many ask
    }
    Map<String, String> seen = new HashMap<>(unseen);
    unseen.clear();
    discovering = Future.fromCompletionStage(source.vms().toCompletionStage(), context).map(list -> {
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
      Set<VmMeters> removed = new HashSet<>();
      vms.entrySet().removeIf(e -> {
        if (present.contains(e.getKey())) {
          return false;
        }
        qmp.deleted(e.getKey());
        e.getValue().removeAll();
        removed.add(e.getValue());
        return true;
      });
      if (!removed.isEmpty()) {
        round.removeIf(removed::contains);
        cursor = Math.min(cursor, round.size());
      }
      seen.forEach((vm, to) -> {
        VmMeters found = vms.get(vm);
        if (found != null) {
          found.transition(to);
        }
      });
      return round;
    }).recover(err -> {
      LOG.log(System.Logger.Level.DEBUG, "metrics: listing VMs failed: {0}", err.toString());
      return Future.succeededFuture(round);
    });
    return discovering;
  }

  // a new VM joins the end of the round: sampled once the round reaches it
  private VmMeters track(String name) {
    qmp.tracked(name);
    VmMeters meters = new VmMeters(registry, index, qmp, name, VmStates.ALL);
    round.add(meters);
    return meters;
  }

  /**
   * Samples {@code batch}: the process figures and cgroup counters of all of them in one worker task each, then
   * each VM's QMP queries. A VM whose last sample is still pending (a hung QEMU) is not sampled again: the returned
   * future waits for that one.
   */
  private Future<Void> sampleAll(List<VmMeters> batch) {
    List<Future<Void>> pending = new java.util.ArrayList<>();
    List<VmMeters> due = new java.util.ArrayList<>();
    for (VmMeters m : batch) {
      if (m.inflight != null) {
        pending.add(m.inflight);
      } else if (!m.snapshot.hasProcess()) {
        m.stale();
      } else {
        due.add(m);
      }
    }
    if (!due.isEmpty()) {
      List<Long> pids = due.stream().map(m -> m.snapshot.pid()).toList();
      Future<Map<Long, ProcStats>> procs = Future.fromCompletionStage(vertx.<Map<Long, ProcStats>>executeBlocking(
          () -> ProcStats.readAll(pids), false).toCompletionStage(), context).otherwise(Map.of());
      Future<Map<String, io.vmsup.supervisor.cgroup.CgroupUsage>> cgroups = Future.fromCompletionStage(source
          .cgroupUsages(due.stream().map(m -> m.snapshot.name()).toList()).toCompletionStage(), context)
          .otherwise(Map.of());
      for (VmMeters m : due) {
        pending.add(sample(m, m.snapshot, procs, cgroups));
      }
    }
    return Future.join(pending).<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<Void> sample(VmMeters meters, VmSnapshot snapshot, Future<Map<Long, ProcStats>> procs,
      Future<Map<String, io.vmsup.supervisor.cgroup.CgroupUsage>> cgroups) {
    Future<?> proc = procs.onSuccess(all -> java.util.Optional.ofNullable(all.get(snapshot.pid()))
        .ifPresent(stats -> meters.processFigures(stats.cpuSeconds(), stats.rssBytes())));
    Future<Void> qmpSample = QmpSample.run(source, qmp, context, qmpTimeout, meters, snapshot);
    Future<?> cgroup = cgroups.onSuccess(all -> meters.cgroupFigures(all.get(snapshot.name())));
    Future<?> nics = Future.fromCompletionStage(source.nicCounters(snapshot.name()).toCompletionStage(), context)
        .onSuccess(meters::nicFigures).otherwiseEmpty();
    Future<Void> done = Future.join(List.of(proc, qmpSample, cgroup, nics)).<Void>mapEmpty().otherwiseEmpty()
        .andThen(x -> meters.inflight = null);
    if (!done.isComplete()) {
      meters.inflight = done;
    }
    return done;
  }
}
