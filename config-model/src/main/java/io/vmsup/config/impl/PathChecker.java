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
   * is looked up in QEMU's data directory, so it may not climb out of it with {@code ..} or a slash.
   */
  private void global(String at, GlobalProperty g) {
    String v = g.value();
    // an absolute value is one of HostPath.of(spec), checked above
    if (!v.startsWith("/") && PathRule.namesFile(g.property()) && (v.contains("/") || v.equals(".."))) {
      out.add(new Violation(at + ".value", "\"" + v + "\" must be a bare file name from QEMU's data directory or"
          + " an absolute path under the allowed paths"));
    }
  }

  private void path(String at, String path) {
    PathRule.problem(path, roots).ifPresent(m -> out.add(new Violation(at, m)));
  }
}
