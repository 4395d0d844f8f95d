package io.vmsup.supervisor.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Gives each VM a uid of its own from a {@link UidRange}, kept in {@code vms/<name>/uid} so that it stays the same
 * across restarts (and is freed with the VM's directory). Blocking; allocations are serialised, so two VMs never get
 * the same uid.
 */
public final class UidPool {

  static final String FILE = "uid";

  private UidPool() {
  }

  /** The VM's uid: the recorded one, else the lowest uid of the range no other VM of {@code vmsDir} holds. */
  public static synchronized int uidFor(Path vmsDir, String name, UidRange range) throws IOException {
    Path mine = vmsDir.resolve(name).resolve(FILE);
    if (Files.isRegularFile(mine)) {
      int uid = Integer.parseInt(Files.readString(mine, StandardCharsets.US_ASCII).trim());
      if (uid >= range.first() && uid <= range.last()) {
        return uid;
      }
    }
    Set<Integer> taken = new HashSet<>();
    try (Stream<Path> dirs = Files.list(vmsDir)) {
      for (Path d : dirs.toList()) {
        Path f = d.resolve(FILE);
        if (!d.getFileName().toString().equals(name) && Files.isRegularFile(f)) {
          taken.add(Integer.parseInt(Files.readString(f, StandardCharsets.US_ASCII).trim()));
        }
      }
    }
    for (int uid = range.first(); uid <= range.last(); uid++) {
      if (!taken.contains(uid)) {
        Files.writeString(mine, uid + "\n", StandardCharsets.US_ASCII);
        return uid;
      }
    }
    throw new IOException("every uid of qemuUids " + range.first() + "-" + range.last() + " is taken");
  }
}
