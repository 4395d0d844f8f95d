package io.vmsup.supervisor.cgroup.impl;

import io.vmsup.supervisor.cgroup.CgroupMode;
import io.vmsup.supervisor.cgroup.VmCgroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * v2: {@code <mount>/<the daemon's own cgroup>/vmsup-<key>/<vm>}, with the memory, cpu and pids controllers enabled
 * down to the VMs where the daemon's cgroup offers them. A delegated cgroup (systemd {@code Delegate=yes}) that holds
 * the daemon itself cannot pass controllers on (no internal processes): the daemon then moves itself into a leaf
 * {@code supervisor} beside its VMs' directory first, as systemd's delegation rules ask.
 */
final class V2Layout implements CgroupsImpl.Layout {

  private final Hierarchy hierarchy;
  private final Path base;
  private final Set<String> enabled;

  private V2Layout(Hierarchy hierarchy, Path base, Set<String> enabled) {
    this.hierarchy = hierarchy;
    this.base = base;
    this.enabled = Set.copyOf(enabled);
  }

  static Detect.Attempt attempt(List<Hierarchy> mounts, Map<String, String> self, String key) {
    Optional<Hierarchy> h = mounts.stream().filter(Hierarchy::v2).findFirst();
    if (h.isEmpty()) {
      return new Detect.Attempt(null, "no cgroup2 file system is mounted");
    }
    String own = self.get("");
    if (own == null) {
      return new Detect.Attempt(null, "the daemon is in no v2 cgroup (/proc/self/cgroup has no 0:: line)");
    }
    Path ownDir = h.get().dirOf(own);
    Path base = ownDir.resolve(key);
    try {
      Set<String> offered = offered(ownDir);
      Set<String> on = enable(ownDir, offered);
      if (on.size() < offered.size() && !own.equals("/")) {
        moveSelfToLeaf(ownDir);
        on = enable(ownDir, offered);
      }
      Files.createDirectories(base);
      Set<String> down = enable(base, on);
      String d = "v2, controllers " + new TreeSet<>(down) + " under " + base
          + (down.containsAll(Detect.V2_CONTROLLERS) ? "" : " (limits need the missing ones delegated)");
      return new Detect.Attempt(new CgroupsImpl(CgroupMode.V2, d, new V2Layout(h.get(), base, down)), null);
    } catch (IOException e) {
      return new Detect.Attempt(null, base + ": " + CgFiles.reason(e));
    }
  }

  private static Set<String> offered(Path dir) throws IOException {
    Set<String> out = new TreeSet<>();
    for (String c : CgFiles.read(dir, "cgroup.controllers").trim().split("\\s+")) {
      if (Detect.V2_CONTROLLERS.contains(c)) {
        out.add(c);
      }
    }
    return out;
  }

  /** Enables each controller for the children of {@code dir}, one write each; returns those that took. */
  static Set<String> enable(Path dir, Set<String> controllers) {
    Set<String> on = new TreeSet<>();
    for (String c : controllers) {
      try {
        CgFiles.write(dir, "cgroup.subtree_control", "+" + c);
        on.add(c);
      } catch (IOException e) {
        BaseGroup.LOG.fine(() -> "cannot enable " + c + " in " + dir + ": " + e.getMessage());
      }
    }
    return on;
  }

  private static void moveSelfToLeaf(Path ownDir) throws IOException {
    Path leaf = ownDir.resolve("supervisor");
    Files.createDirectories(leaf);
    CgFiles.write(leaf, "cgroup.procs", String.valueOf(ProcessHandle.current().pid()));
    BaseGroup.LOG.info("moved the daemon into " + leaf + " to delegate controllers to its VMs' cgroups");
  }

  @Override
  public VmCgroup forVm(String vm) {
    return new V2Group(vm, base.resolve(vm), enabled);
  }

  @Override
  public Optional<VmCgroup> fromMembership(String vm, Map<String, String> membership) {
    String path = membership.get("");
    if (path == null) {
      return Optional.empty();
    }
    Path dir = hierarchy.dirOf(path);
    return V1Layout.ours(dir, vm) ? Optional.of(new V2Group(vm, dir, enabled)) : Optional.empty();
  }

  @Override
  public List<Path> bases() {
    return List.of(base);
  }
}
