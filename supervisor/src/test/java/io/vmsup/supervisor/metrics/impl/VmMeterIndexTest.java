package io.vmsup.supervisor.metrics.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vmsup.supervisor.metrics.MetricNames;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A deleted VM's series go, and only its own, without a scan of every meter of the daemon. */
class VmMeterIndexTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private Counter counter(String name, String vm) {
    return Counter.builder(name).tag(MetricNames.TAG_VM, vm).register(registry);
  }

  private List<String> vmsInRegistry() {
    return registry.getMeters().stream().map(m -> m.getId().getTag(MetricNames.TAG_VM)).map(String::valueOf)
        .sorted().toList();
  }

  @Test
  void removesOnlyTheDeletedVmsMetersThoseRegisteredBeforeTheIndexIncluded() {
    counter("early", "a");
    VmMeterIndex index = VmMeterIndex.of(registry);
    counter("x", "a");
    counter("y", "a");
    counter("x", "b");
    Counter.builder("daemon_wide").register(registry);

    index.removeAll("a");

    assertThat(vmsInRegistry()).containsExactly("b", "null");
    assertThat(index.count("a")).isZero();
    assertThat(index.count("b")).isEqualTo(1);
  }

  @Test
  void followsMetersRemovedElsewhereAndRegisteredAgain() {
    VmMeterIndex index = VmMeterIndex.of(registry);
    Meter x = counter("x", "a");
    counter("y", "a");
    registry.remove(x);
    assertThat(index.count("a")).isEqualTo(1);
    counter("x", "a");
    counter("x", "a"); // the same meter again: counted once
    assertThat(index.count("a")).isEqualTo(2);
    index.removeAll("a");
    assertThat(registry.getMeters()).isEmpty();
    index.removeAll("a"); // nothing left: no effect
    index.removeAll("never-seen");
  }

  @Test
  void aMassDeleteLeavesNoSeriesOfAnyDeletedVm() {
    VmMeterIndex index = VmMeterIndex.of(registry);
    for (int i = 0; i < 2000; i++) {
      counter("x", "v" + i);
      counter("y", "v" + i);
    }
    for (int i = 0; i < 2000; i += 2) {
      index.removeAll("v" + i);
    }
    assertThat(registry.getMeters()).hasSize(2000)
        .allSatisfy(m -> assertThat(Integer.parseInt(m.getId().getTag(MetricNames.TAG_VM).substring(1)) % 2)
            .isEqualTo(1));
  }
}
