package io.vmsup.qmp;

import io.vertx.core.json.JsonObject;

/**
 * One memory device from {@code query-memory-devices}.
 *
 * @param type {@code dimm}, {@code nvdimm}, {@code virtio-mem}, ... (kept as sent)
 * @param id the device id, or {@code null}
 * @param memdev the backend's QOM path, or {@code null}
 * @param data everything QEMU sent for the device
 */
public record MemoryDeviceInfo(String type, String id, long addr, long size, int slot, int node, String memdev,
                               boolean hotplugged, boolean hotpluggable, JsonObject data) {
}
