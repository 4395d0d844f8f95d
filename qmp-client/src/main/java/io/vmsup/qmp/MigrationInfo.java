package io.vmsup.qmp;

import io.vertx.core.json.JsonObject;

/**
 * The result of {@code query-migrate}.
 *
 * @param status {@link MigrationStatus#NONE} when no migration ran, {@link MigrationStatus#UNKNOWN} for values
 *     this client does not know
 * @param rawStatus the status as QEMU sent it ({@code none} when absent)
 * @param totalTimeMs milliseconds since the migration started, or {@code -1}
 * @param ramTransferred bytes of RAM sent so far, or {@code -1}
 * @param ramTotal bytes of guest RAM, or {@code -1}
 * @param errorDesc why the migration failed, or {@code null}
 * @param raw everything QEMU sent
 */
public record MigrationInfo(MigrationStatus status, String rawStatus, long totalTimeMs, long ramTransferred,
                            long ramTotal, String errorDesc, JsonObject raw) {
}
