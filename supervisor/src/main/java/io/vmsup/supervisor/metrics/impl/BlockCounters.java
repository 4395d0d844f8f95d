package io.vmsup.supervisor.metrics.impl;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vmsup.supervisor.metrics.MetricNames;
import java.util.List;

/** The four block I/O counters of one drive, fed from {@code query-blockstats}. */
final class BlockCounters {

  /** One drive's totals. */
  record Sample(double readBytes, double writeBytes, double readOps, double writeOps) {
  }

  private volatile Sample last = new Sample(0, 0, 0, 0);
  private final List<Meter> meters;

  BlockCounters(MeterRegistry registry, Tags vmTags, String drive, List<Meter> owner) {
    Tags tags = vmTags.and(MetricNames.TAG_DRIVE, drive);
    meters = List.of(counter(registry, MetricNames.VM_BLOCK_READ_BYTES, "bytes read", tags, s -> s.readBytes),
        counter(registry, MetricNames.VM_BLOCK_WRITE_BYTES, "bytes written", tags, s -> s.writeBytes),
        counter(registry, MetricNames.VM_BLOCK_READ_OPS, "read operations", tags, s -> s.readOps),
        counter(registry, MetricNames.VM_BLOCK_WRITE_OPS, "write operations", tags, s -> s.writeOps));
    owner.addAll(meters);
  }

  /** The drive is gone (unplugged): its series leave the registry and {@code owner}. */
  void remove(MeterRegistry registry, List<Meter> owner) {
    meters.forEach(registry::remove);
    owner.removeAll(meters);
  }

  private Meter counter(MeterRegistry registry, String name, String what, Tags tags,
      java.util.function.ToDoubleFunction<Sample> field) {
    return FunctionCounter.builder(name, this, b -> field.applyAsDouble(b.last))
        .description("drive " + what + " (query-blockstats)").tags(tags).register(registry);
  }

  void update(Sample sample) {
    last = sample;
  }
}
