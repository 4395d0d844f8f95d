package io.vmsup.supervisor.cgroup.impl;

import io.vmsup.supervisor.cgroup.CgroupMode;
import io.vmsup.supervisor.cgroup.Cgroups;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the hierarchy at daemon start. {@code auto}: v2 when the memory, cpu and pids controllers can be enabled
 * for the daemon's directory; else v1 when its memory controller is mounted and writable; else v2 without
 * controllers (the kill switch, the freezer and CPU time still work; limits do not); else none.
 */
final class Detect {

  private Detect() {
  }

  /** One try: the cgroups, or why not. */
  record Attempt(CgroupsImpl ok, String why) {
  }

  static Cgroups run(CgroupMode wanted, Path mountinfo, Path selfCgroup, String key) {
    if (wanted == CgroupMode.OFF) {
      return CgroupsImpl.off("cgroups off (setting cgroups=off)");
    }
    List<Hierarchy> mounts;
    Map<String, String> self;
    try {
      mounts = Hierarchy.mounted(mountinfo);
      self = Hierarchy.membership(selfCgroup);
    } catch (IOException e) {
      return fail(wanted, "cannot read " + mountinfo + " or " + selfCgroup + ": " + e.getMessage());
    }
    return switch (wanted) {
      case V1 -> orFail(wanted, V1Layout.attempt(mounts, self, key));
      case V2 -> orFail(wanted, V2Layout.attempt(mounts, self, key));
      default -> auto(mounts, self, key);
    };
  }

  private static Cgroups auto(List<Hierarchy> mounts, Map<String, String> self, String key) {
    Attempt v2 = V2Layout.attempt(mounts, self, key);
    if (v2.ok() != null && v2.ok().describe().contains("controllers [cpu, memory, pids]")) {
      return v2.ok();
    }
    Attempt v1 = V1Layout.attempt(mounts, self, key);
    if (v1.ok() != null) {
      closeQuietly(v2.ok()); // its directory stays empty
      return v1.ok();
    }
    if (v2.ok() != null) {
      return v2.ok();
    }
    return CgroupsImpl.off("no usable cgroup hierarchy: v2: " + v2.why() + "; v1: " + v1.why());
  }

  private static void closeQuietly(CgroupsImpl c) {
    if (c != null) {
      c.close();
    }
  }

  private static Cgroups orFail(CgroupMode wanted, Attempt a) {
    return a.ok() != null ? a.ok() : fail(wanted, a.why());
  }

  private static Cgroups fail(CgroupMode wanted, String why) {
    if (wanted == CgroupMode.AUTO) {
      return CgroupsImpl.off(why);
    }
    throw new IllegalStateException("cgroups " + wanted.json() + " cannot be used: " + why);
  }

  /** The mounted hierarchy holding {@code controller} (v1), if any. */
  static Optional<Hierarchy> v1(List<Hierarchy> mounts, String controller) {
    return mounts.stream().filter(h -> !h.v2() && h.controllers().contains(controller)).findFirst();
  }

  static final Set<String> V2_CONTROLLERS = Set.of("cpu", "memory", "pids");
}
