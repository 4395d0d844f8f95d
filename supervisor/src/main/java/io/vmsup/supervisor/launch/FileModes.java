package io.vmsup.supervisor.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** What a file's mode lets every local user do, and the union of two {@code rwx} permission strings. */
final class FileModes {

  private FileModes() {
  }

  /** Others may read the file and search every directory above it: any local user may read it. */
  static boolean everyoneMayRead(Path file) {
    try {
      if (!Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ)) {
        return false;
      }
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
    for (Path a = file.getParent(); a != null; a = a.getParent()) {
      if (!othersMaySearch(a)) {
        return false;
      }
    }
    return true;
  }

  /** Others may read and run the file. */
  static boolean othersMayExecute(Path file) {
    try {
      return Files.getPosixFilePermissions(file).containsAll(Set.of(PosixFilePermission.OTHERS_EXECUTE,
          PosixFilePermission.OTHERS_READ));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Others may search the directory. */
  static boolean othersMaySearch(Path dir) {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
      return p.contains(PosixFilePermission.OTHERS_EXECUTE);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Each position's permission when either string has it ({@code r--} and {@code --x} give {@code r-x}). */
  static String union(String a, String b) {
    char[] out = new char[3];
    for (int i = 0; i < 3; i++) {
      out[i] = a.charAt(i) != '-' ? a.charAt(i) : b.charAt(i);
    }
    return new String(out);
  }
}
