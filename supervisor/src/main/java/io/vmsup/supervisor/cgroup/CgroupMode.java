package io.vmsup.supervisor.cgroup;

import java.util.Locale;

/** Which cgroup hierarchy the daemon puts each QEMU in (setting {@code cgroups}). */
public enum CgroupMode {
  /** v2 when the host delegates the memory, cpu and pids controllers; else v1 when mounted; else none. */
  AUTO,
  /** The v1 controllers ({@code /sys/fs/cgroup/memory}, {@code cpu}, {@code cpuacct}, {@code pids}, {@code freezer}). */
  V1,
  /** The unified v2 hierarchy ({@code memory.max}, {@code cpu.max}, {@code pids.max}, {@code cgroup.kill}). */
  V2,
  /** No cgroups: QEMU stays in the daemon's; a spec with {@code resources} cannot start. */
  OFF;

  /** The mode named {@code text} ({@code auto}, {@code v1}, {@code v2}, {@code off}), or null. */
  public static CgroupMode parse(String text) {
    for (CgroupMode m : values()) {
      if (m.name().toLowerCase(Locale.ROOT).equals(text.trim().toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    return null;
  }

  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }
}
