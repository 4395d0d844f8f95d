package io.vmsup.config.impl;

import io.vmsup.config.Chardev;
import io.vmsup.config.Device;
import io.vmsup.config.Disk;
import io.vmsup.config.Filesystem9p;
import io.vmsup.config.GlobalProperty;
import io.vmsup.config.MemoryBackend;
import io.vmsup.config.Nic;
import io.vmsup.config.PathRoots;
import io.vmsup.config.PciPlaced;
import io.vmsup.config.Rng;
import io.vmsup.config.VhostUserBlk;
import io.vmsup.config.VhostUserScsi;
import io.vmsup.config.VirtioFs;
import io.vmsup.config.Violation;
import io.vmsup.config.VmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Implements {@link PathRoots#check}: walks every field of a spec that names a host path. */
public final class PathChecker {

  private final PathRoots roots;
  private final List<Violation> out = new ArrayList<>();

  private PathChecker(PathRoots roots) {
    this.roots = roots;
  }

  public static List<Violation> check(VmSpec spec, PathRoots roots) {
    PathChecker c = new PathChecker(roots);
    spec.kernel().ifPresent(k -> {
      c.path("kernel.path", k.path());
      k.initrd().ifPresent(i -> c.path("kernel.initrd", i));
    });
    spec.bios().ifPresent(b -> c.path("bios", b));
    spec.machine().options().forEach((name, value) -> {
      if (MachineOptions.FILES.contains(name)) {
        c.path("machine.options." + name, value);
      }
    });
    for (int i = 0; i < spec.pflash().size(); i++) {
      c.path("pflash[" + i + "].file", spec.pflash().get(i).file());
    }
    for (int i = 0; i < spec.fwCfg().size(); i++) {
      String at = "fwCfg[" + i + "].file";
      spec.fwCfg().get(i).file().ifPresent(f -> c.path(at, f));
    }
    for (int i = 0; i < spec.globals().size(); i++) {
      c.global("globals[" + i + "]", spec.globals().get(i));
    }
    for (int i = 0; i < spec.devices().size(); i++) {
      c.device("devices[" + i + "]", spec.devices().get(i));
    }
    return List.copyOf(c.out);
  }

  public static Optional<String> problem(String path, PathRoots roots) {
    return PathRule.problem(path, roots);
  }

  private void device(String at, Device d) {
    if (d instanceof PciPlaced x) {
      x.pci().romfile().filter(r -> !r.isEmpty()).ifPresent(r -> path(at + ".romfile", r));
    }
    if (d instanceof Disk x) {
      path(at + ".file", x.file());
    } else if (d instanceof Filesystem9p x) {
      path(at + ".path", x.path());
    } else if (d instanceof Rng x) {
      path(at + ".source", x.source());
    } else if (d instanceof MemoryBackend x) {
      x.path().ifPresent(p -> path(at + ".path", p));
    } else if (d instanceof Chardev x) {
      x.path().ifPresent(p -> path(at + ".path", p));
      x.logfile().ifPresent(p -> path(at + ".logfile", p));
    } else if (d instanceof VirtioFs x) {
      path(at + ".socket", x.socket());
    } else if (d instanceof VhostUserBlk x) {
      path(at + ".socket", x.socket());
    } else if (d instanceof VhostUserScsi x) {
      path(at + ".socket", x.socket());
    } else if (d instanceof Nic x) {
      x.socket().ifPresent(p -> path(at + ".socket", p));
    }
  }

  /**
   * A global's value names a host file when it is absolute; a relative value such as {@code romfile=efi-e1000e.rom}
   * is looked up in QEMU's data directory, so it may not climb out of it with {@code ..} or a slash.
   */
  private void global(String at, GlobalProperty g) {
    String v = g.value();
    if (v.startsWith("/")) {
      path(at + ".value", v);
    } else if (PathRule.namesFile(g.property()) && (v.contains("/") || v.equals(".."))) {
      out.add(new Violation(at + ".value", "\"" + v + "\" must be a bare file name from QEMU's data directory or"
          + " an absolute path under the allowed paths"));
    }
  }

  private void path(String at, String path) {
    PathRule.problem(path, roots).ifPresent(m -> out.add(new Violation(at, m)));
  }
}
