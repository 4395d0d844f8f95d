package io.vmsup.supervisor.metrics.impl;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vmsup.supervisor.cgroup.CgroupUsage;
import io.vmsup.supervisor.metrics.MetricNames;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One VM's cgroup series: registered when the cgroup offers the figure, removed when it stops offering it (or with
 * the process's series), never NaN. Values are written by the collector and read by scrapes: volatile.
 */
final class CgroupMeters {

  private final Map<String, Meter> meters = new HashMap<>();
  volatile double cpuSeconds;
  volatile double memoryBytes;
  volatile double memoryLimit;
  volatile double oomKills;
  volatile double tasks;

  void update(CgroupUsage u, MeterRegistry registry, Tags tags) {
    // values first, then the series: a scrape never reads a series before its value
    cpuSeconds = u.cpuSeconds().orElse(0);
    memoryBytes = u.memoryBytes().orElse(0);
    memoryLimit = u.memoryLimit().orElse(0);
    oomKills = u.oomKills().orElse(0);
    tasks = u.tasks().orElse(0);
    series(u.cpuSeconds().isPresent(), MetricNames.VM_CGROUP_CPU, registry, () -> FunctionCounter
        .builder(MetricNames.VM_CGROUP_CPU, this, m -> m.cpuSeconds)
        .description("CPU time of every task in the VM's cgroup (QEMU's threads; resets when it restarts)")
        .tags(tags).register(registry));
    series(u.memoryBytes().isPresent(), MetricNames.VM_CGROUP_MEMORY, registry, () -> Gauge
        .builder(MetricNames.VM_CGROUP_MEMORY, this, m -> m.memoryBytes)
        .description("memory charged to the VM's cgroup (guest RAM, QEMU, page cache)").tags(tags)
        .register(registry));
    series(u.memoryLimit().isPresent(), MetricNames.VM_CGROUP_MEMORY_LIMIT, registry, () -> Gauge
        .builder(MetricNames.VM_CGROUP_MEMORY_LIMIT, this, m -> m.memoryLimit)
        .description("the VM's memoryMax as its cgroup enforces it (absent when unlimited)").tags(tags)
        .register(registry));
    series(u.oomKills().isPresent(), MetricNames.VM_CGROUP_OOM_KILLS, registry, () -> FunctionCounter
        .builder(MetricNames.VM_CGROUP_OOM_KILLS, this, m -> m.oomKills)
        .description("tasks the kernel killed for the VM's memoryMax, this run").tags(tags).register(registry));
    series(u.tasks().isPresent(), MetricNames.VM_CGROUP_TASKS, registry, () -> Gauge
        .builder(MetricNames.VM_CGROUP_TASKS, this, m -> m.tasks)
        .description("tasks (threads) in the VM's cgroup").tags(tags).register(registry));
  }

  private void series(boolean present, String name, MeterRegistry registry, Supplier<Meter> make) {
    if (!present) {
      Meter m = meters.remove(name);
      if (m != null) {
        registry.remove(m);
      }
    } else if (!meters.containsKey(name)) {
      meters.put(name, make.get());
    }
  }

  /** Every cgroup series away (no cgroup, or no process). */
  void clear(MeterRegistry registry) {
    meters.values().forEach(registry::remove);
    meters.clear();
  }
}
