package io.vmsup.config.impl;

import io.vmsup.config.GlobalProperty;
import io.vmsup.config.HostPath;
import io.vmsup.config.PathRoots;
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
    for (HostPath p : HostPath.of(spec)) {
      c.path(p.at(), p.path());
    }
    for (int i = 0; i < spec.globals().size(); i++) {
      c.global("globals[" + i + "]", spec.globals().get(i));
    }
    return List.copyOf(c.out);
  }

  public static Optional<String> problem(String path, PathRoots roots) {
    return PathRule.problem(path, roots);
  }

  /**
   * A global's value names a host file when it is absolute; a relative value such as {@code romfile=efi-e1000e.rom}
   * is looked up in QEMU's working directory (the VM's own) and data directory, so no property's value may climb out
   * of them with {@code ..}, {@code .} or a slash.
   */
  private void global(String at, GlobalProperty g) {
    String v = g.value();
    // an absolute value is one of HostPath.of(spec), checked above
    // any property: QEMU's file and directory properties do not all say so by name (usb-mtp.rootdir, sysfsdev)
    if (!v.startsWith("/") && (v.contains("/") || v.equals("..") || v.equals("."))) {
      out.add(new Violation(at + ".value", "\"" + v + "\" must be a bare file name from QEMU's data directory or"
          + " an absolute path under the allowed paths"));
    }
  }

  private void path(String at, String path) {
    PathRule.problem(path, roots).ifPresent(m -> out.add(new Violation(at, m)));
  }
}
