package io.vmsup.supervisor.metrics.impl;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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

  DiskSizes(MeterRegistry registry, Tags vmTags, String drive, List<Meter> owner) {
    Tags tags = vmTags.and(MetricNames.TAG_DRIVE, drive);
    owner.add(Gauge.builder(MetricNames.VM_DISK_ALLOCATED, this, d -> d.last.allocated())
        .description("bytes the disk's image file takes on the host").tags(tags).register(registry));
    owner.add(Gauge.builder(MetricNames.VM_DISK_VIRTUAL, this, d -> d.last.virtual())
        .description("the disk's size as the guest sees it").tags(tags).register(registry));
  }

  void update(Sample sample) {
    last = sample;
  }

  /** The disks of a {@code query-named-block-nodes} reply, by disk id. */
  static Map<String, Sample> of(Object result) {
    Map<String, Sample> out = new LinkedHashMap<>();
    if (!(result instanceof JsonArray nodes)) {
      return out;
    }
    for (Object o : nodes) {
      if (o instanceof JsonObject node && node.getString("node-name", "").endsWith(".blk")
          && node.getJsonObject("image") != null) {
        String name = node.getString("node-name");
        JsonObject image = node.getJsonObject("image");
        out.put(name.substring(0, name.length() - ".blk".length()), new Sample(
            image.getLong("actual-size", 0L), image.getLong("virtual-size", 0L)));
      }
    }
    return out;
  }
}
