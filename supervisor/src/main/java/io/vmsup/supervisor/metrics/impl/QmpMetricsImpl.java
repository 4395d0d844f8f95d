package io.vmsup.supervisor.metrics.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vmsup.supervisor.metrics.MetricNames;
import io.vmsup.supervisor.metrics.QmpMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Micrometer-backed {@link QmpMetrics}; command and event names outside a safe shape become {@code other}. */
final class QmpMetricsImpl implements QmpMetrics {

  // QMP names are lower-case words with dashes/underscores (events upper-case); anything else is user input
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
  // bound on distinct command/event names: passthrough commands are user-chosen strings
  private static final int MAX_NAMES = 512;

  private final MeterRegistry registry;
  private static final int MAX_GONE = 10_000;
  private final Set<String> names = ConcurrentHashMap.newKeySet();
  // deleted VMs: observers on other contexts may still report for them
  private final Set<String> gone = ConcurrentHashMap.newKeySet();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  /** A tracked VM's per-VM counters: commands, seconds. */
  private final Map<String, Counter[]> perVm = new ConcurrentHashMap<>();
  /** A tracked VM's count of completed commands other than {@code query-*} (any outcome): what may change it. */
  private final Map<String, java.util.concurrent.atomic.AtomicLong> changes = new ConcurrentHashMap<>();

  QmpMetricsImpl(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * The latency histogram's buckets: QMP answers in ~100 us here, a loaded host in ms, a hung QEMU at the timeout
   * (seconds). Fixed buckets, so series per (command, outcome) stay 16 + 3 whatever the traffic.
   */
  static final Duration[] BUCKETS = Stream.of("PT0.00005S", "PT0.0001S", "PT0.00025S", "PT0.0005S", "PT0.001S",
      "PT0.0025S", "PT0.005S", "PT0.01S", "PT0.025S", "PT0.05S", "PT0.1S", "PT0.25S", "PT0.5S", "PT1S", "PT2.5S",
      "PT5S").map(Duration::parse).toArray(Duration[]::new);

  /**
   * The latency histogram is labelled by command and outcome but not by VM (10,000 VMs x buckets would swamp a
   * scrape); per VM only a count and a sum. A VM deleted meanwhile records nothing (no series comes back).
   */
  @Override
  public void commandCompleted(String vm, String command, long nanos, String outcome) {
    timer(command, outcome).record(nanos, TimeUnit.NANOSECONDS);
    if (gone.contains(vm)) {
      return;
    }
    Counter[] counters = perVm.computeIfAbsent(vm, this::vmCounters);
    counters[0].increment();
    counters[1].increment(nanos / 1e9);
    if (!command.startsWith("query-")) {
      changes.computeIfAbsent(vm, k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
    }
    if (TIMEOUT.equals(outcome)) {
      timedOut(vm);
    }
  }

  /**
   * The histogram of a (command, outcome), found once per pair: registering again on every command (a meter id
   * built, hashed and looked up, the name matched) was daemon CPU on every QMP call. Pairs are cached up to a bound
   * (pass-through commands are user-chosen); beyond it they are looked up as before.
   */
  private Timer timer(String command, String outcome) {
    String key = command + '\n' + outcome;
    Timer t = timers.get(key);
    if (t != null) {
      return t;
    }
    t = Timer.builder(MetricNames.QMP_COMMAND_DURATION)
        .description("QMP command round trips, all VMs")
        .tags(MetricNames.TAG_COMMAND, bounded(command), MetricNames.TAG_OUTCOME, bounded(outcome))
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
    if (timers.size() < MAX_NAMES * 4) {
      timers.put(key, t);
    }
    return t;
  }

  private Counter[] vmCounters(String vm) {
    return new Counter[] {
        Counter.builder(MetricNames.VM_QMP_COMMANDS).description("QMP commands completed (any outcome)")
            .tags(MetricNames.TAG_VM, vm).register(registry),
        Counter.builder(MetricNames.VM_QMP_SECONDS).description("time QMP commands took, summed")
            .tags(MetricNames.TAG_VM, vm).register(registry)};
  }

  /**
   * How many commands other than {@code query-*} completed on the VM's QMP connections (any outcome) since it was
   * tracked: one that changed its devices (a {@code blockdev-add}...) counts once its reply came, or its time ran out.
   */
  long changes(String vm) {
    java.util.concurrent.atomic.AtomicLong n = changes.get(vm);
    return n == null ? 0 : n.get();
  }

  /** The VM is tracked (again): it may record. */
  void tracked(String vm) {
    perVm.remove(vm);
    changes.remove(vm);
    gone.remove(vm);
  }

  /** The VM is deleted: late recordings (a command that fails as its QEMU dies) must not bring its series back. */
  void deleted(String vm) {
    if (gone.size() >= MAX_GONE) {
      gone.clear();
    }
    gone.add(vm);
    perVm.remove(vm); // its meters leave the registry: a VM of that name later gets new ones
    changes.remove(vm);
  }

  @Override
  public void eventReceived(String vm, String event) {
    if (gone.contains(vm)) {
      return;
    }
    Counter.builder(MetricNames.QMP_EVENTS)
        .description("QMP events received")
        .tags(MetricNames.TAG_VM, vm, MetricNames.TAG_EVENT, bounded(event))
        .register(registry)
        .increment();
  }

  @Override
  public void eventDropped(String vm) {
    if (gone.contains(vm)) {
      return;
    }
    drops(vm).increment();
  }

  Counter drops(String vm) {
    return Counter.builder(MetricNames.QMP_EVENT_DROPS)
        .description("QMP events dropped because a subscriber was too slow")
        .tags(MetricNames.TAG_VM, vm)
        .register(registry);
  }

  @Override
  public void timedOut(String vm) {
    if (gone.contains(vm)) {
      return;
    }
    timeouts(vm).increment();
  }

  Counter timeouts(String vm) {
    return Counter.builder(MetricNames.QMP_TIMEOUTS)
        .description("QMP commands or collections that QEMU did not answer in time")
        .tags(MetricNames.TAG_VM, vm)
        .register(registry);
  }

  private String bounded(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return "other";
    }
    if (names.contains(name)) {
      return name;
    }
    if (names.size() >= MAX_NAMES) {
      return "other";
    }
    names.add(name);
    return name;
  }
}
