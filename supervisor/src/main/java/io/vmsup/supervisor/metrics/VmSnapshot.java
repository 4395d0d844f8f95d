package io.vmsup.supervisor.metrics;

import java.time.Instant;

/**
 * What the collector needs to know about one VM at one moment.
 *
 * @param name the VM name
 * @param state the supervisor's state name ({@code RUNNING}, {@code STOPPED}...)
 * @param pid the QEMU process id, or -1 without a process
 * @param restarts how often the supervisor restarted it
 * @param startDurationSeconds how long its last start took (spawn to QMP ready), NaN when unknown
 * @param startedAt when its QEMU process started, or null
 * @param machine the QEMU machine type from the spec, or {@code unknown}
 * @param specCpus the vCPUs the spec configures ({@code smp.cpus}, kept current by CPU hot-plug)
 */
public record VmSnapshot(String name, String state, long pid, long restarts, double startDurationSeconds,
    Instant startedAt, String machine, int specCpus) {

  /** True while a QEMU process exists (its QMP can answer). */
  public boolean hasProcess() {
    return pid > 0;
  }
}
