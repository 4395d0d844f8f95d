package io.vmsup.supervisor.cgroup.impl;

import io.vmsup.config.Resources;
import io.vmsup.supervisor.cgroup.CgroupUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A VM cgroup on v2: one directory; limits {@code memory.max} (and {@code memory.swap.max 0}, so the limit cannot be
 * escaped into swap), {@code cpu.max}, {@code pids.max} for the controllers the daemon's directory enabled; the kill
 * switch {@code cgroup.kill}, the freezer {@code cgroup.freeze}; figures from {@code cpu.stat}, {@code memory.current},
 * {@code memory.events}.
 */
final class V2Group extends BaseGroup {

  private final Path dir;
  private final Set<String> enabled;

  /** @param enabled the controllers enabled for the daemon's children ({@code memory}, {@code cpu}, {@code pids}) */
  V2Group(String vm, Path dir, Set<String> enabled) {
    super(vm);
    this.dir = dir;
    this.enabled = Set.copyOf(enabled);
  }

  @Override
  public List<Path> dirs() {
    return List.of(dir);
  }

  @Override
  Path procsDir() {
    return dir;
  }

  @Override
  void writeLimits(Resources limits) throws IOException {
    if (limits.memoryMax().isPresent()) {
      need("memory", "memoryMax");
      CgFiles.write(dir, "memory.max", String.valueOf(limits.memoryMax().get().bytes()));
      if (Files.exists(dir.resolve("memory.swap.max"))) {
        CgFiles.write(dir, "memory.swap.max", "0");
      }
    }
    if (limits.cpuMax().isPresent()) {
      need("cpu", "cpuMax");
      CgFiles.write(dir, "cpu.max", limits.cpuQuotaMicros().getAsLong() + " " + Resources.CPU_PERIOD_MICROS);
    }
    if (limits.pidsMax().isPresent()) {
      need("pids", "pidsMax");
      CgFiles.write(dir, "pids.max", String.valueOf(limits.pidsMax().getAsLong()));
    }
  }

  private void need(String controller, String field) throws IOException {
    if (!enabled.contains(controller)) {
      throw new IOException("resources." + field + " needs the cgroup v2 " + controller + " controller, which is not"
          + " delegated to this daemon (" + dir.getParent() + "/cgroup.subtree_control)");
    }
  }

  @Override
  CgroupUsage read() {
    OptionalLong usec = CgFiles.keyed(dir, "cpu.stat", "usage_usec");
    return new CgroupUsage(usec.isPresent() ? OptionalDouble.of(usec.getAsLong() / 1e6) : OptionalDouble.empty(),
        CgFiles.number(dir, "memory.current"), CgFiles.number(dir, "memory.max"),
        enabled.contains("memory") ? CgFiles.keyed(dir, "memory.events", "oom_kill") : OptionalLong.empty(),
        CgFiles.number(dir, "pids.current"));
  }

  @Override
  boolean killByKernel() throws IOException {
    if (!Files.exists(dir.resolve("cgroup.kill"))) {
      return false; // before Linux 5.14
    }
    CgFiles.write(dir, "cgroup.kill", "1");
    return true;
  }

  @Override
  public boolean freeze(boolean frozen) throws IOException {
    if (!Files.exists(dir.resolve("cgroup.freeze"))) {
      return false;
    }
    CgFiles.write(dir, "cgroup.freeze", frozen ? "1" : "0");
    return true;
  }
}
