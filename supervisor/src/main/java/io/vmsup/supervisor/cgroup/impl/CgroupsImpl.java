package io.vmsup.supervisor.cgroup.impl;

import io.vmsup.supervisor.cgroup.CgroupMode;
import io.vmsup.supervisor.cgroup.Cgroups;
import io.vmsup.supervisor.cgroup.VmCgroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** The daemon's cgroups: a layout (v1, v2 or none) and the VMs' current groups. */
public final class CgroupsImpl implements Cgroups {

  private final CgroupMode mode;
  private final String description;
  private final Function<String, VmCgroup> maker;
  private final Function<Long, Map<String, String>> membership;
  private final Layout layout;
  private final Map<String, VmCgroup> current = new ConcurrentHashMap<>();

  /** Where the daemon's VM cgroups live and how one is made from a VM name; null layout when off. */
  interface Layout {
    VmCgroup forVm(String vm);

    /** The group the process with this membership is in, if it is one of ours for {@code vm}. */
    Optional<VmCgroup> fromMembership(String vm, Map<String, String> membership);

    /** The daemon's own directories. */
    List<Path> bases();
  }

  CgroupsImpl(CgroupMode mode, String description, Layout layout) {
    this.mode = mode;
    this.description = description;
    this.layout = layout;
    this.maker = layout == null ? null : layout::forVm;
    this.membership = pid -> {
      try {
        return Hierarchy.membership(Path.of("/proc/" + pid + "/cgroup"));
      } catch (IOException e) {
        return Map.of();
      }
    };
  }

  public static Cgroups off(String why) {
    return new CgroupsImpl(CgroupMode.OFF, why, null);
  }

  public static Cgroups detect(CgroupMode wanted, Path stateDir) {
    return Detect.run(wanted, Path.of("/proc/self/mountinfo"), Path.of("/proc/self/cgroup"), key(stateDir));
  }

  public static void removeLeftovers(Path stateDir) {
    String key = key(stateDir);
    try {
      Map<String, String> self = Hierarchy.membership(Path.of("/proc/self/cgroup"));
      for (Hierarchy h : Hierarchy.mounted(Path.of("/proc/self/mountinfo"))) {
        String own = h.v2() ? self.get("") : h.controllers().stream().map(self::get)
            .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        Path base = own == null ? null : h.dirOf(own).resolve(key);
        if (base != null && java.nio.file.Files.isDirectory(base)) {
          removeTree(h, base);
        }
      }
    } catch (IOException | RuntimeException e) {
      BaseGroup.LOG.warning("cannot remove the cgroups of " + stateDir + ": " + e);
    }
  }

  private static void removeTree(Hierarchy h, Path base) throws IOException {
    try (var children = java.nio.file.Files.list(base)) {
      for (Path d : children.filter(java.nio.file.Files::isDirectory).toList()) {
        VmCgroup g = h.v2() ? new V2Group(d.getFileName().toString(), d, java.util.Set.of())
            : new V1Group(d.getFileName().toString(), Map.of(h.controllers().iterator().next(), d));
        g.retire();
      }
    }
    CgFiles.rmdir(base);
  }

  /** {@code vmsup-} and 12 hex digits of the SHA-256 of the state directory: one daemon, one directory. */
  static String key(Path stateDir) {
    Path p = stateDir.toAbsolutePath().normalize();
    try {
      p = p.toRealPath();
    } catch (IOException e) {
      // not made yet: the normalised path
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(p.toString().getBytes(StandardCharsets.UTF_8));
      return "vmsup-" + HexFormat.of().formatHex(h).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public CgroupMode mode() {
    return mode;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public Optional<VmCgroup> forVm(String vm) {
    return maker == null ? Optional.empty() : Optional.of(maker.apply(vm));
  }

  @Override
  public Optional<VmCgroup> adopt(String vm, long pid) {
    if (layout == null) {
      return Optional.empty();
    }
    Optional<VmCgroup> found = layout.fromMembership(vm, membership.apply(pid));
    if (found.isPresent()) {
      return found;
    }
    VmCgroup named = layout.forVm(vm);
    try {
      return named.pids().contains(pid) ? Optional.of(named) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public void track(String vm, VmCgroup group) {
    if (group == null) {
      current.remove(vm);
    } else {
      current.put(vm, group);
    }
  }

  @Override
  public Optional<VmCgroup> current(String vm) {
    return Optional.ofNullable(current.get(vm));
  }

  @Override
  public void close() {
    if (layout == null) {
      return;
    }
    for (Path base : layout.bases()) {
      try {
        CgFiles.rmdir(base);
      } catch (IOException e) {
        // VMs left running keep their cgroups (and so the daemon's directory) until they end
      }
    }
  }

  @Override
  public String toString() {
    return description;
  }
}
