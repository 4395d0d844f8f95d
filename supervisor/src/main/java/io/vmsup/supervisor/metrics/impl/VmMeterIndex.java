package io.vmsup.supervisor.metrics.impl;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vmsup.supervisor.metrics.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of a registry by the VM they are tagged with, kept up to date by the registry's own add and remove
 * listeners: removing a deleted VM's series touches only that VM's meters, not every meter of the daemon (a scan per
 * deleted VM made a mass delete quadratic). Meters are added on many contexts (each VM's QMP observer, the
 * collector), hence the concurrent map; each VM's list is changed only inside {@code compute} for its key.
 */
final class VmMeterIndex {

  private final MeterRegistry registry;
  private final Map<String, List<Meter>> byVm = new ConcurrentHashMap<>();

  private VmMeterIndex(MeterRegistry registry) {
    this.registry = registry;
  }

  /** An index of {@code registry}'s VM meters, those already registered included. */
  static VmMeterIndex of(MeterRegistry registry) {
    VmMeterIndex index = new VmMeterIndex(registry);
    registry.config().onMeterAdded(index::added).onMeterRemoved(index::removed);
    registry.getMeters().forEach(index::added);
    return index;
  }

  private void added(Meter m) {
    String vm = m.getId().getTag(MetricNames.TAG_VM);
    if (vm != null) {
      byVm.compute(vm, (k, list) -> {
        List<Meter> l = list == null ? new ArrayList<>(4) : list;
        if (!l.contains(m)) {
          l.add(m);
        }
        return l;
      });
    }
  }

  private void removed(Meter m) {
    String vm = m.getId().getTag(MetricNames.TAG_VM);
    if (vm != null) {
      byVm.computeIfPresent(vm, (k, list) -> {
        list.remove(m);
        return list.isEmpty() ? null : list;
      });
    }
  }

  /** How many meters carry {@code vm}'s tag now. */
  int count(String vm) {
    List<Meter> l = byVm.get(vm);
    return l == null ? 0 : l.size();
  }

  /** Removes every meter tagged with {@code vm} from the registry. */
  void removeAll(String vm) {
    List<Meter> mine = new ArrayList<>();
    byVm.computeIfPresent(vm, (k, list) -> {
      mine.addAll(list);
      return list;
    });
    mine.forEach(registry::remove);
  }
}
