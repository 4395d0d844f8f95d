package io.vmsup.supervisor.metrics.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vmsup.supervisor.metrics.MetricNames;
import io.vmsup.supervisor.metrics.QmpMetrics;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Micrometer-backed {@link QmpMetrics}; command and event names outside a safe shape become {@code other}. */
final class QmpMetricsImpl implements QmpMetrics {

  // QMP names are lower-case words with dashes/underscores (events upper-case); anything else is user input
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
  // bound on distinct command/event names: passthrough commands are user-chosen strings
  private static final int MAX_NAMES = 512;

  private final MeterRegistry registry;
  private final Set<String> names = ConcurrentHashMap.newKeySet();

  QmpMetricsImpl(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void commandCompleted(String vm, String command, long nanos, String outcome) {
    Timer.builder(MetricNames.QMP_COMMAND_DURATION)
        .description("QMP command round trips")
        .tags(MetricNames.TAG_VM, vm, MetricNames.TAG_COMMAND, bounded(command),
            MetricNames.TAG_OUTCOME, bounded(outcome))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
    if (TIMEOUT.equals(outcome)) {
      timedOut(vm);
    }
  }

  @Override
  public void eventReceived(String vm, String event) {
    Counter.builder(MetricNames.QMP_EVENTS)
        .description("QMP events received")
        .tags(MetricNames.TAG_VM, vm, MetricNames.TAG_EVENT, bounded(event))
        .register(registry)
        .increment();
  }

  @Override
  public void eventDropped(String vm) {
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
