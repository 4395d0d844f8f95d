package io.vmsup.config;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Per-VM resource limits, enforced by the supervisor through the VM's own cgroup (JSON key {@code resources}; every
 * field optional, an absent field is no limit). Not rendered into QEMU's argv.
 *
 * @param cpuMax    CPU time the VM's QEMU (all its threads) may use, in CPUs: {@code 1.5} is 150 ms per 100 ms period
 *                  ({@code cpu.max} / {@code cpu.cfs_quota_us}); from 0.01 to 1024
 * @param memoryMax memory of the QEMU process, guest RAM included ({@code memory.max} /
 *                  {@code memory.limit_in_bytes}); past it the kernel OOM-kills QEMU; at least 32 MiB
 * @param pidsMax   tasks (threads count) the QEMU process may have ({@code pids.max}); from 8
 */
public record Resources(Optional<BigDecimal> cpuMax, Optional<Size> memoryMax, OptionalLong pidsMax) {

  /** The scheduler period the CPU limit is expressed in: 100 ms, the kernel's default. */
  public static final long CPU_PERIOD_MICROS = 100_000;
  /** The smallest {@code cpuMax}. */
  public static final BigDecimal CPU_MIN = new BigDecimal("0.01");
  /** The largest {@code cpuMax}. */
  public static final BigDecimal CPU_MAX = BigDecimal.valueOf(1024);
  /** The smallest {@code memoryMax}: QEMU alone needs more than this. */
  public static final long MEMORY_MIN = 32L << 20;
  /** The smallest {@code pidsMax}: QEMU's main thread, its RCU and worker threads, one per vCPU. */
  public static final long PIDS_MIN = 8;
  /** The largest {@code pidsMax} (the kernel's {@code pid_max} limit). */
  public static final long PIDS_MAX = 4_194_304;

  /** No limits. */
  public static Resources none() {
    return new Resources(Optional.empty(), Optional.empty(), OptionalLong.empty());
  }

  /** The CPU quota per {@link #CPU_PERIOD_MICROS}, in microseconds, when {@code cpuMax} is set. */
  public OptionalLong cpuQuotaMicros() {
    return cpuMax.map(c -> OptionalLong.of(c.multiply(BigDecimal.valueOf(CPU_PERIOD_MICROS)).longValue()))
        .orElse(OptionalLong.empty());
  }

  /** True when no limit is set. */
  public boolean isEmpty() {
    return cpuMax.isEmpty() && memoryMax.isEmpty() && pidsMax.isEmpty();
  }
}
