package io.vmsup.supervisor.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * POSIX ACL edits through {@code setfacl}/{@code getfacl} (package {@code acl}), one at a time on the host: setfacl
 * reads a file's ACL, edits it and writes it back, so two at once on a shared file ({@code /dev/kvm}, a directory
 * above several VMs' files) lose one's entry. Serialised in this JVM and, by a file lock beside the uid claims, with
 * every other daemon. Blocking.
 */
final class Acl {

  private static final String SETFACL = "/usr/bin/setfacl";
  private static final String GETFACL = "/usr/bin/getfacl";
  private static final Path LOCK_FILE = Path.of(UidPool.CLAIMS, ".acl-lock");

  private Acl() {
  }

  /** {@code setfacl -m ENTRY PATHS...}: adds or changes one entry on every path; fails if any path fails. */
  static void modify(String entry, Collection<Path> paths) throws IOException {
    if (!paths.isEmpty()) {
      run(command("-m", entry, paths));
    }
  }

  /** {@code setfacl -x QUALIFIER PATHS...}: removes one entry (absent entries are no error). */
  static void remove(String qualifier, Collection<Path> paths) throws IOException {
    if (!paths.isEmpty()) {
      run(command("-x", qualifier, paths));
    }
  }

  /** The entries of {@code path}'s access ACL, numeric ({@code user:2000000001:--x}), without comments. */
  static List<String> read(Path path) throws IOException {
    String out = exec(List.of(GETFACL, "-n", "-p", "-c", path.toString()));
    List<String> entries = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        entries.add(line.trim());
      }
    }
    return entries;
  }

  private static List<String> command(String op, String entry, Collection<Path> paths) {
    List<String> cmd = new ArrayList<>(List.of(SETFACL, op, entry));
    paths.forEach(p -> cmd.add(p.toString()));
    return cmd;
  }

  private static void run(List<String> cmd) throws IOException {
    HostLock.holding(LOCK_FILE, () -> exec(cmd));
  }

  /** Runs {@code cmd}; its output, or an IOException naming the command, its exit code and its messages. */
  static String exec(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      int code = p.waitFor();
      if (code != 0) {
        throw new IOException(String.join(" ", cmd.subList(0, Math.min(3, cmd.size()))) + " failed (" + code
            + "): " + output.trim());
      }
      return output;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
