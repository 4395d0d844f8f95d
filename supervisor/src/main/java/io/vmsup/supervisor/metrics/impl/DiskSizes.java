package io.vmsup.supervisor.metrics.impl;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vmsup.qmp.BlockNode;
import io.vmsup.supervisor.metrics.MetricNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The allocated and virtual size of one disk, from {@code query-named-block-nodes}: the format node of a disk is named
 * {@code <id>.blk}, and its {@code image} tells both sizes (an overlay's allocation grows as the guest writes).
 */
final class DiskSizes {

  /** One disk's sizes in bytes. */
  record Sample(double allocated, double virtual) {
  }

  private volatile Sample last = new Sample(0, 0);
  private final List<Meter> meters;

  DiskSizes(MeterRegistry registry, Tags vmTags, String drive, List<Meter> owner) {
    Tags tags = vmTags.and(MetricNames.TAG_DRIVE, drive);
    meters = List.of(Gauge.builder(MetricNames.VM_DISK_ALLOCATED, this, d -> d.last.allocated())
        .description("bytes the disk's image file takes on the host").tags(tags).register(registry),
        Gauge.builder(MetricNames.VM_DISK_VIRTUAL, this, d -> d.last.virtual())
        .description("the disk's size as the guest sees it").tags(tags).register(registry));
    owner.addAll(meters);
  }

  /** The disk is gone (unplugged): its series leave the registry and {@code owner}. */
  void remove(MeterRegistry registry, List<Meter> owner) {
    meters.forEach(registry::remove);
    owner.removeAll(meters);
  }

  void update(Sample sample) {
    last = sample;
  }

  /** The disks among the nodes of {@code query-named-block-nodes}, by disk id. */
  static Map<String, Sample> of(List<BlockNode> nodes) {
    Map<String, Sample> out = new LinkedHashMap<>();
    for (BlockNode node : nodes) {
      String name = node.nodeName();
      if (name.endsWith(".blk") && node.hasImage()) {
        out.put(name.substring(0, name.length() - ".blk".length()), new Sample(node.actualSize(),
            node.virtualSize()));
      }
    }
    return out;
  }
}
