package io.vmsup.supervisor.cgroup.impl;

import io.vmsup.config.Resources;
import io.vmsup.supervisor.cgroup.CgroupUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A VM cgroup on v1: one directory per controller hierarchy (memory, pids, cpu, cpuacct, freezer; cpu and cpuacct
 * share one when mounted together). Limits: {@code memory.limit_in_bytes} (and {@code memory.memsw.limit_in_bytes}
 * when swap is accounted, so the limit cannot be escaped into swap), {@code cpu.cfs_quota_us}, {@code pids.max}.
 */
final class V1Group extends BaseGroup {

  /** The limit v1 reports for "unlimited" (a page-rounded LONG_MAX). */
  private static final long UNLIMITED = Long.MAX_VALUE & ~0xfffL;

  private final Map<String, Path> byController;
  private final List<Path> dirs;

  V1Group(String vm, Map<String, Path> byController) {
    super(vm);
    this.byController = Map.copyOf(byController);
    this.dirs = List.copyOf(new LinkedHashSet<>(byController.values()));
  }

  @Override
  public List<Path> dirs() {
    return dirs;
  }

  @Override
  Path procsDir() {
    return byController.getOrDefault("memory", dirs.get(0));
  }

  @Override
  void writeLimits(Resources limits) throws IOException {
    if (limits.memoryMax().isPresent()) {
      String bytes = String.valueOf(limits.memoryMax().get().bytes());
      Path mem = need("memory", "memoryMax");
      CgFiles.write(mem, "memory.limit_in_bytes", bytes);
      if (Files.exists(mem.resolve("memory.memsw.limit_in_bytes"))) {
        CgFiles.write(mem, "memory.memsw.limit_in_bytes", bytes);
      }
    }
    if (limits.cpuMax().isPresent()) {
      Path cpu = need("cpu", "cpuMax");
      CgFiles.write(cpu, "cpu.cfs_period_us", String.valueOf(Resources.CPU_PERIOD_MICROS));
      CgFiles.write(cpu, "cpu.cfs_quota_us", String.valueOf(limits.cpuQuotaMicros().getAsLong()));
    }
    if (limits.pidsMax().isPresent()) {
      CgFiles.write(need("pids", "pidsMax"), "pids.max", String.valueOf(limits.pidsMax().getAsLong()));
    }
  }

  private Path need(String controller, String field) throws IOException {
    Path d = byController.get(controller);
    if (d == null) {
      throw new IOException("resources." + field + " needs the cgroup v1 " + controller
          + " controller, which is not mounted here");
    }
    return d;
  }

  @Override
  CgroupUsage read() {
    Path mem = byController.get("memory");
    Path acct = byController.get("cpuacct");
    Path pids = byController.get("pids");
    OptionalLong ns = acct == null ? OptionalLong.empty() : CgFiles.number(acct, "cpuacct.usage");
    OptionalLong limit = mem == null ? OptionalLong.empty() : CgFiles.number(mem, "memory.limit_in_bytes");
    if (limit.isPresent() && limit.getAsLong() >= UNLIMITED) {
      limit = OptionalLong.empty();
    }
    return new CgroupUsage(ns.isPresent() ? OptionalDouble.of(ns.getAsLong() / 1e9) : OptionalDouble.empty(),
        mem == null ? OptionalLong.empty() : CgFiles.number(mem, "memory.usage_in_bytes"), limit,
        mem == null ? OptionalLong.empty() : CgFiles.keyed(mem, "memory.oom_control", "oom_kill"),
        pids == null ? OptionalLong.empty() : CgFiles.number(pids, "pids.current"));
  }

  @Override
  public boolean freeze(boolean frozen) throws IOException {
    Path f = byController.get("freezer");
    if (f == null || !Files.isDirectory(f)) {
      return false;
    }
    CgFiles.write(f, "freezer.state", frozen ? "FROZEN" : "THAWED");
    return true;
  }

  /** The controllers this group spans (for logs). */
  List<String> controllers() {
    return new ArrayList<>(byController.keySet());
  }
}
