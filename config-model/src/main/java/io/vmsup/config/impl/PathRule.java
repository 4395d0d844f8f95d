package io.vmsup.config.impl;

import io.vmsup.config.PathRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** One host path against the roots: lexical rules first, then symbolic links resolved on the real file system. */
final class PathRule {

  private static final Path HUGEPAGES = Path.of("/dev/hugepages");

  private PathRule() {
  }

  static Optional<String> problem(String text, PathRoots roots) {
    Path raw;
    try {
      raw = Path.of(text);
    } catch (RuntimeException e) {
      return Optional.of("\"" + text + "\" is not a valid path");
    }
    if (!raw.isAbsolute()) {
      return Optional.of("\"" + text + "\" must be an absolute path");
    }
    for (Path part : raw) {
      if (part.toString().equals("..")) {
        return Optional.of("\"" + text + "\" must not contain \"..\"; name the file by its own path under "
            + describe(roots));
      }
    }
    if (PathRoots.DEVICE_FILES.contains(raw.normalize().toString()) || raw.normalize().startsWith(HUGEPAGES)) {
      return Optional.empty();
    }
    if (under(raw.normalize(), roots, false) == null) {
      return Optional.of("\"" + text + "\" is outside the allowed paths " + describe(roots)
          + "; add a root with the daemon's allowedPaths setting");
    }
    Path real = realOf(raw.normalize());
    if (under(real, roots, true) == null) {
      return Optional.of("\"" + text + "\" resolves through a symbolic link to " + real
          + ", outside the allowed paths " + describe(roots));
    }
    for (Path deny : roots.denied()) {
      if (raw.normalize().startsWith(deny) || real.startsWith(realOf(deny))) {
        return Optional.of("\"" + text + "\" is inside " + deny + ", which belongs to the supervisor and is never"
            + " allowed");
      }
      // a directory share (9p, TFTP, usb-mtp) of an ancestor would hand the guest the supervisor's files
      if (deny.startsWith(raw.normalize()) || realOf(deny).startsWith(real)) {
        return Optional.of("\"" + text + "\" holds " + deny + ", which belongs to the supervisor; name a"
            + " directory beside it");
      }
    }
    return Optional.empty();
  }

  /** Property names whose value QEMU opens as a file. */
  static boolean namesFile(String property) {
    String p = property.toLowerCase(Locale.ROOT);
    return p.contains("file") || p.contains("rom") || p.contains("path") || p.equals("dumpdtb");
  }

  private static Path under(Path p, PathRoots roots, boolean realRoots) {
    for (Path root : roots.roots()) {
      Path r = realRoots ? realOf(root) : root;
      if (p.startsWith(r)) {
        return r;
      }
    }
    return null;
  }

  /**
   * The real path of the longest existing prefix, with the rest appended: a file not yet created (a socket, a log)
   * is judged by the directory it would be created in.
   */
  static Path realOf(Path p) {
    return realOf(p, 0);
  }

  private static Path realOf(Path p, int depth) {
    Path existing = p;
    Path rest = null;
    while (existing != null) {
      try {
        Path real = existing.toRealPath();
        return rest == null ? real : real.resolve(rest).normalize();
      } catch (IOException e) {
        Path dangling = danglingTarget(existing);
        if (dangling != null && depth < 40) {
          // a dangling link is followed too: QEMU would create its target (a chardev file, a socket)
          Path target = rest == null ? dangling : dangling.resolve(rest);
          return realOf(target.normalize(), depth + 1);
        }
        Path name = existing.getFileName();
        rest = rest == null ? name : name.resolve(rest);
        existing = existing.getParent();
      }
    }
    return p;
  }

  private static Path danglingTarget(Path p) {
    if (!Files.isSymbolicLink(p)) {
      return null;
    }
    try {
      Path target = Files.readSymbolicLink(p);
      return p.getParent() == null ? target : p.getParent().resolve(target);
    } catch (IOException e) {
      return null;
    }
  }

  private static String describe(PathRoots roots) {
    return roots.roots().toString();
  }
}
