package io.vmsup.supervisor.cgroup.impl;

import io.vmsup.supervisor.cgroup.CgroupMode;
import io.vmsup.supervisor.cgroup.VmCgroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** v1: {@code <mount>/<the daemon's own cgroup>/vmsup-<key>/<vm>} in each of the memory, pids, cpu, cpuacct, freezer hierarchies. */
final class V1Layout implements CgroupsImpl.Layout {

  private static final List<String> CONTROLLERS = List.of("memory", "pids", "cpu", "cpuacct", "freezer");

  private final Map<String, Path> bases;
  private final Map<String, Hierarchy> hierarchies;

  private V1Layout(Map<String, Path> bases, Map<String, Hierarchy> hierarchies) {
    this.bases = bases;
    this.hierarchies = hierarchies;
  }

  static Detect.Attempt attempt(List<Hierarchy> mounts, Map<String, String> self, String key) {
    Map<String, Path> bases = new LinkedHashMap<>();
    Map<String, Hierarchy> hs = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    for (String c : CONTROLLERS) {
      Optional<Hierarchy> h = Detect.v1(mounts, c);
      if (h.isEmpty()) {
        skipped.add(c + " (not mounted)");
        continue;
      }
      Path base = h.get().dirOf(self.getOrDefault(c, "/")).resolve(key);
      try {
        Files.createDirectories(base);
        bases.put(c, base);
        hs.put(c, h.get());
      } catch (IOException e) {
        skipped.add(c + " (" + base + ": " + CgFiles.reason(e) + ")");
      }
    }
    if (!bases.containsKey("memory")) {
      new V1Layout(bases, hs).bases().forEach(V1Layout::rmdirQuietly);
      return new Detect.Attempt(null, "the memory controller is not usable: " + skipped);
    }
    String d = "v1, controllers " + bases.keySet() + " under " + new LinkedHashSet<>(bases.values())
        + (skipped.isEmpty() ? "" : "; without " + skipped);
    return new Detect.Attempt(new CgroupsImpl(CgroupMode.V1, d, new V1Layout(bases, hs)), null);
  }

  private static void rmdirQuietly(Path p) {
    try {
      CgFiles.rmdir(p);
    } catch (IOException e) {
      // a left-over directory of this daemon's key, reused next time
    }
  }

  @Override
  public VmCgroup forVm(String vm) {
    Map<String, Path> dirs = new LinkedHashMap<>();
    bases.forEach((c, base) -> dirs.put(c, base.resolve(vm)));
    return new V1Group(vm, dirs);
  }

  @Override
  public Optional<VmCgroup> fromMembership(String vm, Map<String, String> membership) {
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (var e : hierarchies.entrySet()) {
      String path = membership.get(e.getKey());
      if (path == null) {
        continue;
      }
      Path dir = e.getValue().dirOf(path);
      if (!ours(dir, vm)) {
        return Optional.empty();
      }
      dirs.put(e.getKey(), dir);
    }
    return dirs.containsKey("memory") ? Optional.of(new V1Group(vm, dirs)) : Optional.empty();
  }

  static boolean ours(Path dir, String vm) {
    return dir.getFileName() != null && dir.getFileName().toString().equals(vm) && dir.getParent() != null
        && dir.getParent().getFileName() != null && dir.getParent().getFileName().toString().startsWith("vmsup-");
  }

  @Override
  public List<Path> bases() {
    return List.copyOf(new LinkedHashSet<>(bases.values()));
  }
}
