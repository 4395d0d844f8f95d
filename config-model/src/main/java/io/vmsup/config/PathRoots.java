package io.vmsup.config;

import io.vmsup.config.impl.PathChecker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host directories (or single files) a spec's host paths must stay within: disks, kernel, initrd, BIOS, pflash,
 * {@code fwCfg} files, {@code globals} values that name files, 9p shares, memory-backend files, chardev paths and log
 * files, vhost-user sockets. A path is refused when it is relative, has a {@code ..} segment, lies outside every root,
 * or resolves through a symbolic link to a place outside every root. A few fixed device files are always allowed:
 * {@link #DEVICE_FILES} and {@code /dev/hugepages}.
 *
 * <p>The roots are a host fact the supervisor passes in (its {@code allowedPaths} setting); config-model never reads
 * a configuration of its own.
 *
 * @param roots  absolute, normalised paths; never empty
 * @param denied absolute, normalised paths inside the roots that stay refused (the supervisor's own files: every
 *               VM's directory with its sockets and records, the token files)
 */
public record PathRoots(List<Path> roots, List<Path> denied) {

  /** Device files any spec may name (entropy sources). */
  public static final List<String> DEVICE_FILES = List.of("/dev/urandom", "/dev/random", "/dev/hwrng");

  public PathRoots {
    roots = clean(roots, "allowed");
    denied = clean(denied, "denied");
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("at least one allowed path is needed");
    }
  }

  /** Roots without exceptions. */
  public static PathRoots of(List<Path> roots) {
    return new PathRoots(roots, List.of());
  }

  private static List<Path> clean(List<Path> paths, String what) {
    List<Path> clean = new ArrayList<>();
    for (Path p : paths) {
      if (!p.isAbsolute()) {
        throw new IllegalArgumentException(what + " path " + p + " is not absolute");
      }
      clean.add(p.normalize());
    }
    return List.copyOf(clean);
  }

  /**
   * Every host path of the spec that is not confined to the roots, each as a violation at its JSON path naming the
   * path and the roots. Reads the file system to resolve symbolic links (blocking, a few system calls per path).
   */
  public List<Violation> check(VmSpec spec) {
    return PathChecker.check(spec, this);
  }

  /**
   * Why one host path is not allowed, or empty when it is (the same rules as {@link #check}; used for paths outside a
   * spec such as image imports or QMP pass-through arguments). Blocking like {@link #check}.
   */
  public Optional<String> problem(String path) {
    return PathChecker.problem(path, this);
  }
}
