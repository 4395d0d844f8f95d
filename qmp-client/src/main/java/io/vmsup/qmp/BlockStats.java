package io.vmsup.qmp;

import io.vertx.core.json.JsonObject;

/**
 * One entry of {@code query-blockstats}: I/O counters of a block device or node.
 *
 * @param device the legacy drive name, or {@code null}
 * @param nodeName the node name, or {@code null}
 * @param qdev the guest device's id or QOM path, or {@code null}
 * @param stats the whole {@code stats} member, for counters without a field here
 */
public record BlockStats(String device, String nodeName, String qdev, long rdBytes, long wrBytes,
                         long rdOperations, long wrOperations, long flushOperations, JsonObject stats) {
}
