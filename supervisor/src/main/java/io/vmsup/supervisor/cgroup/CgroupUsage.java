package io.vmsup.supervisor.cgroup;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What a VM's cgroup counted, for every task of it (QEMU's threads included). A figure the hierarchy does not offer
 * is empty, never a made-up zero.
 *
 * @param cpuSeconds  CPU time used since the cgroup was made
 * @param memoryBytes memory charged now
 * @param memoryLimit the memory limit in force, empty when unlimited
 * @param oomKills    tasks the kernel killed for the cgroup's memory limit since it was made
 * @param tasks       tasks (threads) now
 */
public record CgroupUsage(OptionalDouble cpuSeconds, OptionalLong memoryBytes, OptionalLong memoryLimit,
    OptionalLong oomKills, OptionalLong tasks) {

  /** Nothing known. */
  public static CgroupUsage unknown() {
    return new CgroupUsage(OptionalDouble.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
        OptionalLong.empty());
  }

  /** True when the kernel counted at least one OOM kill. */
  public boolean oomKilled() {
    return oomKills.isPresent() && oomKills.getAsLong() > 0;
  }
}
