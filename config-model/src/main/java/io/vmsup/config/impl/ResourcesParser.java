package io.vmsup.config.impl;

import io.vmsup.config.Resources;
import io.vmsup.config.Size;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads {@code resources}; every field optional. */
final class ResourcesParser {

  private ResourcesParser() {
  }

  static Resources parse(Obj o) {
    Optional<BigDecimal> cpu = o.optDecimal("cpuMax", Resources.CPU_MIN, Resources.CPU_MAX);
    cpu.ifPresent(c -> o.problems().check(c.stripTrailingZeros().scale() <= 2, o.at("cpuMax"),
        "must have at most two decimals (a hundredth of a CPU), not " + c.toPlainString()));
    Optional<Size> memory = o.optSize("memoryMax");
    memory.ifPresent(m -> o.problems().check(m.bytes() >= Resources.MEMORY_MIN, o.at("memoryMax"),
        "must be at least 32M (QEMU itself needs more), not " + m.bytes() + " bytes"));
    OptionalLong pids = o.optLong("pidsMax", Resources.PIDS_MIN, Resources.PIDS_MAX);
    o.end();
    return new Resources(cpu, memory, pids);
  }
}
