package io.vmsup.qmp;

import io.vertx.core.json.JsonObject;

/**
 * One vCPU from {@code query-cpus-fast}.
 *
 * @param threadId the host thread id of the vCPU
 * @param target the target architecture, for example {@code x86_64}
 * @param props the topology properties ({@code socket-id}, {@code core-id}, {@code thread-id}, ...)
 */
public record CpuInfo(int cpuIndex, String qomPath, long threadId, String target, JsonObject props) {
}
