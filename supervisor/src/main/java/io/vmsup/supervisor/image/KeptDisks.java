package io.vmsup.supervisor.image;

import io.vmsup.supervisor.store.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Moves a VM's made disks out of (or back into) its directory in one rename each. Blocking. */
final class KeptDisks {

  private KeptDisks() {
  }

  /** Moves {@code from} to {@code to} (its parent made); false when there is nothing to move. */
  static boolean move(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return false;
    }
    AtomicFiles.ensureDir(to.getParent());
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDir(from.getParent());
    AtomicFiles.fsyncDir(to.getParent());
    return true;
  }
}
