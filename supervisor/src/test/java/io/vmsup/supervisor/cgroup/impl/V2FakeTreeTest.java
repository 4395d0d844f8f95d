package io.vmsup.supervisor.cgroup.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmsup.config.Resources;
import io.vmsup.config.Size;
import io.vmsup.supervisor.cgroup.CgroupMode;
import io.vmsup.supervisor.cgroup.CgroupUsage;
import io.vmsup.supervisor.cgroup.Cgroups;
import io.vmsup.supervisor.cgroup.VmCgroup;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The v2 code paths a host with delegated controllers takes, on a plain directory tree shaped like cgroupfs (this
 * host has no v2 controllers): detection, the files and values written for each limit, parsing of the counters.
 * What only the kernel does (a write to {@code cgroup.subtree_control} that takes, membership, kill, OOM) is not
 * proven here; {@code V2UnifiedIT} runs the kill switch, the freezer and membership on this host's real v2 hierarchy.
 */
class V2FakeTreeTest {

  @TempDir
  Path tmp;

  private Cgroups detect(CgroupMode mode, String controllers, String own) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("cg"));
    Files.writeString(root.resolve("cgroup.controllers"), controllers + "\n");
    if (!own.equals("/")) {
      Path ownDir = Files.createDirectories(root.resolve(own.substring(1)));
      Files.writeString(ownDir.resolve("cgroup.controllers"), controllers + "\n");
    }
    Path mountinfo = tmp.resolve("mountinfo");
    Files.writeString(mountinfo, "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
        + "41 31 0:38 / " + root + " rw,relatime - cgroup2 cgroup2 rw\n");
    Path self = tmp.resolve("self");
    Files.writeString(self, "0::" + own + "\n");
    return Detect.run(mode, mountinfo, self, "vmsup-0123456789ab");
  }

  @Test
  void autoChoosesV2WhenMemoryCpuAndPidsAreDelegatedAndWritesEachLimit() throws Exception {
    Cgroups cg = detect(CgroupMode.AUTO, "cpuset cpu io memory pids", "/");
    assertThat(cg.mode()).isEqualTo(CgroupMode.V2);
    assertThat(cg.describe()).contains("controllers [cpu, memory, pids]");
    Path base = tmp.resolve("cg/vmsup-0123456789ab");
    assertThat(base).isDirectory();

    VmCgroup x = cg.forVm("x").orElseThrow();
    x.create(new Resources(Optional.of(new BigDecimal("1.5")), Optional.of(new Size(256L << 20)),
        OptionalLong.of(64)));
    Path dir = base.resolve("x");
    assertThat(x.dirs()).containsExactly(dir);
    assertThat(Files.readString(dir.resolve("memory.max"))).isEqualTo(String.valueOf(256L << 20));
    assertThat(Files.readString(dir.resolve("cpu.max"))).isEqualTo("150000 100000");
    assertThat(Files.readString(dir.resolve("pids.max"))).isEqualTo("64");
    assertThat(x.joinPrefix()).containsSubsequence("/bin/sh", "-c").endsWith(dir.resolve("cgroup.procs").toString(),
        "--");

    Files.writeString(dir.resolve("cpu.stat"), "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n");
    Files.writeString(dir.resolve("memory.current"), "1048576\n");
    Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n");
    Files.writeString(dir.resolve("pids.current"), "9\n");
    CgroupUsage u = x.usage();
    assertThat(u.cpuSeconds().getAsDouble()).isEqualTo(2.5);
    assertThat(u.memoryBytes()).hasValue(1048576);
    assertThat(u.memoryLimit()).hasValue(256L << 20);
    assertThat(u.oomKills()).hasValue(1);
    assertThat(u.oomKilled()).isTrue();
    assertThat(u.tasks()).hasValue(9);

    Files.writeString(dir.resolve("cgroup.procs"), "");
    assertThat(x.retire().oomKilled()).isTrue();
    assertThat(dir).doesNotExist();
    assertThat(x.usage().oomKilled()).as("kept after the directory is gone").isTrue();
    cg.close();
    assertThat(base).doesNotExist();
  }

  @Test
  void withoutDelegatedControllersAutoFallsToV1OrNoneAndLimitsAreRefusedByName() throws Exception {
    Cgroups auto = detect(CgroupMode.AUTO, "", "/");
    // no v1 mount in this mountinfo: v2 without controllers (kill switch, freezer, CPU time) rather than nothing
    assertThat(auto.mode()).isEqualTo(CgroupMode.V2);
    VmCgroup y = auto.forVm("y").orElseThrow();
    assertThatThrownBy(() -> y.create(new Resources(Optional.empty(), Optional.of(new Size(64L << 20)),
        OptionalLong.empty()))).hasMessageStartingWith("resources.memoryMax needs the cgroup v2 memory controller");
    assertThatThrownBy(() -> y.create(new Resources(Optional.of(BigDecimal.ONE), Optional.empty(),
        OptionalLong.empty()))).hasMessageStartingWith("resources.cpuMax needs the cgroup v2 cpu controller");
    assertThatThrownBy(() -> Detect.run(CgroupMode.V1, tmp.resolve("mountinfo"), tmp.resolve("self"), "vmsup-k"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cgroups v1 cannot be used");
    assertThat(Detect.run(CgroupMode.OFF, tmp.resolve("mountinfo"), tmp.resolve("self"), "k").forVm("z")).isEmpty();
  }

  @Test
  void aDelegatedSubtreeIsFoundThroughTheMountRootAndMembership() throws Exception {
    Hierarchy h = new Hierarchy(Path.of("/sys/fs/cgroup"), "/system.slice", true, java.util.Set.of());
    assertThat(h.dirOf("/system.slice/vmsup.service")).isEqualTo(Path.of("/sys/fs/cgroup/vmsup.service"));
    Path mi = tmp.resolve("mi");
    Files.writeString(mi, "41 31 0:38 / /sys/fs/cgroup/with\\040space rw - cgroup2 cgroup2 rw\n"
        + "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n");
    assertThat(Hierarchy.mounted(mi)).extracting(Hierarchy::mountPoint)
        .containsExactly(Path.of("/sys/fs/cgroup/with space"), Path.of("/sys/fs/cgroup/cpu,cpuacct"));
    assertThat(Hierarchy.mounted(mi).get(1).controllers()).containsExactlyInAnyOrder("cpu", "cpuacct");
    Path pc = tmp.resolve("pc");
    Files.writeString(pc, "4:memory:/a/vmsup-0123456789ab/vm1\n2:cpu,cpuacct:/b\n0::/c\n");
    assertThat(Hierarchy.membership(pc)).isEqualTo(Map.of("memory", "/a/vmsup-0123456789ab/vm1", "cpu", "/b",
        "cpuacct", "/b", "", "/c"));
    assertThat(V1Layout.ours(Path.of("/x/vmsup-0123456789ab/vm1"), "vm1")).isTrue();
    assertThat(V1Layout.ours(Path.of("/x/other/vm1"), "vm1")).isFalse();
  }
}
