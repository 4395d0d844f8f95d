package io.vmsup.supervisor.metrics.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vmsup.supervisor.metrics.MetricNames;
import org.junit.jupiter.api.Test;

/** The meters QMP metrics keep per VM and per command: cached, yet never counting into a meter that was removed. */
class QmpMetricsCacheTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final QmpMetricsImpl qmp = new QmpMetricsImpl(registry);

  private double commands(String vm) {
    Counter c = registry.find(MetricNames.VM_QMP_COMMANDS).tag(MetricNames.TAG_VM, vm).counter();
    return c == null ? -1 : c.count();
  }

  @Test
  void aDeletedVmRecordsNothingAndOneOfTheSameNameStartsFromZero() {
    qmp.tracked("a");
    qmp.commandCompleted("a", "query-status", 1_000, "ok");
    qmp.commandCompleted("a", "query-status", 1_000, "ok");
    assertThat(commands("a")).isEqualTo(2);

    qmp.deleted("a");
    registry.find(MetricNames.VM_QMP_COMMANDS).tag(MetricNames.TAG_VM, "a").meters().forEach(registry::remove);
    registry.find(MetricNames.VM_QMP_SECONDS).tag(MetricNames.TAG_VM, "a").meters().forEach(registry::remove);
    qmp.commandCompleted("a", "query-status", 1_000, "ok");
    assertThat(commands("a")).as("no series comes back for a deleted VM").isEqualTo(-1);

    qmp.tracked("a");
    qmp.commandCompleted("a", "query-status", 1_000, "ok");
    assertThat(commands("a")).as("the new VM's counter is the registry's, not the removed one").isEqualTo(1);
  }

  @Test
  void theHistogramIsOnePerCommandAndOutcomeAndHostileNamesShareOther() {
    for (int i = 0; i < 3; i++) {
      qmp.commandCompleted("a", "query-status", 1_000, "ok");
    }
    qmp.commandCompleted("a", "x y{}", 1_000, "ok");
    qmp.commandCompleted("a", "\u0000", 1_000, "ok");
    Timer status = registry.find(MetricNames.QMP_COMMAND_DURATION).tag(MetricNames.TAG_COMMAND, "query-status")
        .timer();
    assertThat(status.count()).isEqualTo(3);
    Timer other = registry.find(MetricNames.QMP_COMMAND_DURATION).tag(MetricNames.TAG_COMMAND, "other").timer();
    assertThat(other.count()).isEqualTo(2);
  }
}
