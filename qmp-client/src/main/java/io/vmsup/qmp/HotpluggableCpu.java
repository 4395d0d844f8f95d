package io.vmsup.qmp;

import io.vertx.core.json.JsonObject;

/**
 * One CPU slot from {@code query-hotpluggable-cpus}.
 *
 * @param type the device type to plug, for example {@code qemu64-x86_64-cpu}
 * @param props the topology properties to pass to {@code device_add}
 * @param qomPath the plugged CPU's QOM path, or {@code null} when the slot is free
 */
public record HotpluggableCpu(String type, int vcpusCount, JsonObject props, String qomPath) {

  /** Whether no CPU occupies this slot. */
  public boolean isFree() {
    return qomPath == null;
  }
}
