package io.vmsup.supervisor.metrics.impl;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vmsup.supervisor.metrics.MetricNames;
import io.vmsup.supervisor.metrics.VmSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One VM's meters and the values behind them. The collector writes on its context; scrapes read from another
 * thread, hence the volatile fields. Gauges hold weak references: this object is kept by the collector's map.
 * State and up follow the VM's state events at once ({@link #transition}); the periodic sample only fills in the
 * figures. A figure that does not exist (no process, no start yet) is an absent series, never NaN.
 */
final class VmMeters {

  private final MeterRegistry registry;
  private final VmMeterIndex index;
  private final String vm;
  private final Tags tags;
  private final List<Meter> qmpMeters = new ArrayList<>();
  private final List<Meter> processMeters = new ArrayList<>();
  private Meter startDurationMeter;
  // set by the first state event: from then on events, not samples, own the state
  private boolean stateFromEvents;
  private final Map<String, BlockCounters> drives = new HashMap<>();
  private final Map<String, DiskSizes> disks = new HashMap<>();
  private final List<String> states;

  volatile String state = "";
  volatile long pid = -1;
  volatile double restarts;
  volatile double startDuration;
  volatile Instant startedAt;
  volatile double cpuSeconds;
  volatile double rssBytes;
  volatile double vcpus;
  volatile boolean qmpAnswers;
  Future<Void> inflight;
  VmSnapshot snapshot;
  // a sample still running when the VM was deleted must not register its series again
  private boolean removed;
  boolean infoRegistered;
  /** Whether a sample asks the block queries (not for a VM without block devices). */
  final BlockQueries blockQueries = new BlockQueries();

  VmMeters(MeterRegistry registry, VmMeterIndex index, QmpMetricsImpl qmp, String vm, List<String> states) {
    this.registry = registry;
    this.index = index;
    this.vm = vm;
    this.tags = Tags.of(MetricNames.TAG_VM, vm);
    this.states = states;
    register();
    // counters that a healthy VM never increments still exist from the start (0), so rate() works
    qmp.timeouts(vm);
    qmp.drops(vm);
  }

  private void register() {
    Gauge.builder(MetricNames.VM_UP, this, m -> m.qmpAnswers ? 1 : 0)
        .description("1 while the VM's QEMU process runs and answers QMP").tags(tags).register(registry);
    for (String s : states) {
      Gauge.builder(MetricNames.VM_STATE, this, m -> s.equals(m.state) ? 1 : 0)
          .description("the VM's supervisor state: 1 for the current one").tags(tags).tag(MetricNames.TAG_STATE, s)
          .register(registry);
    }
    FunctionCounter.builder(MetricNames.VM_RESTARTS, this, m -> m.restarts)
        .description("restarts by the supervisor's restart policy").tags(tags).register(registry);
  }

  /** A state event: state (and up, when the VM has no process any more) change now, not at the next sample. */
  void transition(String to) {
    stateFromEvents = true;
    state = to;
    if (!PROCESS_STATES.contains(to)) {
      qmpAnswers = false;
      pid = -1;
      processGone();
    } else if (to.equals("RUNNING") || to.equals("PAUSED")) {
      // qmp-ready and pause/resume replies both come from QMP: it answers
      qmpAnswers = true;
    }
  }

  /** States in which a QEMU process may exist. */
  private static final java.util.Set<String> PROCESS_STATES = java.util.Set.of("STARTING", "RUNNING", "PAUSED",
      "STOPPING", "UNKNOWN");

  /**
   * A VM first seen by a listing, not an event (re-attached before the collector subscribed): RUNNING and PAUSED are
   * reached only through a QMP answer, so up follows them as {@link #transition} does, not at the first sample.
   */
  void firstSeen() {
    if (!stateFromEvents && (state.equals("RUNNING") || state.equals("PAUSED"))) {
      qmpAnswers = true;
    }
  }

  void update(VmSnapshot snapshot) {
    this.snapshot = snapshot;
    if (!stateFromEvents) {
      state = snapshot.state();
    }
    restarts = snapshot.restarts();
    if (!Double.isNaN(snapshot.startDurationSeconds()) && !removed) {
      startDuration = snapshot.startDurationSeconds();
      if (startDurationMeter == null) {
        startDurationMeter = Gauge.builder(MetricNames.VM_START_DURATION, this, m -> m.startDuration)
            .description("time from spawning QEMU to QMP ready, last start").tags(tags).register(registry);
      }
    }
    if (!snapshot.hasProcess() || snapshot.startedAt() == null) {
      pid = -1;
      processGone();
      return;
    }
    if (snapshot.pid() != pid || !snapshot.startedAt().equals(startedAt)) {
      blockQueries.reset(); // another process: its block devices are its command line's
    }
    pid = snapshot.pid();
    startedAt = snapshot.startedAt();
    if (processMeters.isEmpty() && !removed) {
      processMeters.add(Gauge.builder(MetricNames.VM_START_TIME, this, m -> m.startedAt.toEpochMilli() / 1000.0)
          .description("when the VM's current QEMU process started (Unix seconds)").tags(tags).register(registry));
    }
  }

  /** The process figures of a sample: cpu and rss exist only while a process does. */
  void processFigures(double cpu, double rss) {
    if (removed || pid <= 0) {
      return;
    }
    cpuSeconds = cpu;
    rssBytes = rss;
    if (processMeters.size() == 1) {
      processMeters.add(FunctionCounter.builder(MetricNames.VM_CPU, this, m -> m.cpuSeconds)
          .description("user + system CPU time of the QEMU process (resets when it restarts)").tags(tags)
          .register(registry));
      processMeters.add(Gauge.builder(MetricNames.VM_RSS, this, m -> m.rssBytes)
          .description("resident memory of the QEMU process").tags(tags).register(registry));
    }
  }

  /** The cgroup's figures of a sample (threads included); a figure the cgroup does not offer stays absent. */
  void cgroupFigures(io.vmsup.supervisor.cgroup.CgroupUsage usage) {
    if (removed || pid <= 0 || processMeters.isEmpty()) {
      return;
    }
    if (usage == null) {
      cgroup.clear(registry);
      return;
    }
    cgroup.update(usage, registry, tags);
  }

  private final CgroupMeters cgroup = new CgroupMeters();
  private final NicMeters nics = new NicMeters();

  /** The taps' counters of the VM's NICs on managed networks, by NIC id. */
  void nicFigures(Map<String, Map<String, Long>> sample) {
    if (removed || pid <= 0 || processMeters.isEmpty()) {
      return;
    }
    nics.update(sample, registry, tags);
  }

  private void processGone() {
    processMeters.forEach(registry::remove);
    processMeters.clear();
    cgroup.clear(registry);
    nics.clear(registry);
    cpuSeconds = 0;
    rssBytes = 0;
  }

  void info(String qemuVersion, String machine) {
    if (infoRegistered || removed) {
      return;
    }
    infoRegistered = true;
    Gauge.builder(MetricNames.VM_INFO, () -> 1)
        .description("constant 1, with the VM's QEMU version and machine type as labels").tags(tags)
        .tag(MetricNames.TAG_QEMU_VERSION, qemuVersion).tag(MetricNames.TAG_MACHINE, machine)
        .register(registry);
  }

  /** QMP answered: (re)register the QMP-derived series. */
  void fresh(int vcpuCount) {
    if (removed) {
      return;
    }
    qmpAnswers = true;
    vcpus = vcpuCount;
    if (qmpMeters.isEmpty()) {
      qmpMeters.add(Gauge.builder(MetricNames.VM_VCPUS, this, m -> m.vcpus)
          .description("virtual CPUs of the VM").tags(tags).register(registry));
    }
  }

  /**
   * The drives' counters ({@code query-blockstats}) and the disks' sizes ({@code query-named-block-nodes}) of a
   * sample that asked them, with the QMP-derived series: a drive or disk no longer listed (unplugged) loses its
   * series.
   */
  void blockFigures(Map<String, BlockCounters.Sample> blocks, Map<String, DiskSizes.Sample> sizes) {
    if (removed || !qmpAnswers) {
      return;
    }
    drives.entrySet().removeIf(e -> !blocks.containsKey(e.getKey()) && remove(e.getValue()));
    disks.entrySet().removeIf(e -> !sizes.containsKey(e.getKey()) && remove(e.getValue()));
    blocks.forEach((drive, sample) -> drives
        .computeIfAbsent(drive, d -> new BlockCounters(registry, tags, d, qmpMeters))
        .update(sample));
    sizes.forEach((drive, sample) -> disks
        .computeIfAbsent(drive, d -> new DiskSizes(registry, tags, d, qmpMeters))
        .update(sample));
  }

  private boolean remove(BlockCounters drive) {
    drive.remove(registry, qmpMeters);
    return true;
  }

  private boolean remove(DiskSizes disk) {
    disk.remove(registry, qmpMeters);
    return true;
  }

  /** QMP did not answer (hung, stopped, or no process): its series go away so Prometheus marks them stale. */
  void stale() {
    // a snapshot older than a RUNNING/PAUSED event does not take up back to 0: the event is newer
    if (!stateFromEvents || !state.equals("RUNNING") && !state.equals("PAUSED")) {
      qmpAnswers = false;
    }
    staleQmp();
  }

  /** A sample's QMP query failed although the VM should answer: up goes to 0. */
  void unanswered() {
    qmpAnswers = false;
    staleQmp();
  }

  private void staleQmp() {
    blockQueries.reset();
    qmpMeters.forEach(registry::remove);
    qmpMeters.clear();
    drives.clear();
    disks.clear();
  }

  /** Removes every series tagged with this VM, including the QMP meters recorded by observers. */
  void removeAll() {
    removed = true;
    unanswered();
    processGone();
    index.removeAll(vm);
  }
}
