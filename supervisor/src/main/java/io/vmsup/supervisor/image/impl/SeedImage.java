package io.vmsup.supervisor.image.impl;

import io.vmsup.config.CloudInit;
import io.vmsup.config.VmSpec;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds a VM's cloud-init NoCloud seed: {@code user-data}, {@code meta-data} and (if given) {@code network-config}
 * in an ISO 9660 image labelled {@code cidata} (genisoimage, Joliet and Rock Ridge), written as
 * {@code <vmDir>/cidata.iso} with mode 0400 (its texts may hold secrets: the daemon's, and through the grants of a
 * confined QEMU that VM's QEMU's). Built aside and renamed into place; a spec without {@code cloudInit} removes a
 * stale seed. Blocking.
 */
public final class SeedImage {

  private static final long SECONDS = 60;

  private final String genisoimage;

  public SeedImage(String genisoimage) {
    this.genisoimage = genisoimage;
  }

  /** Writes (or removes) the seed of {@code spec} in {@code vmDir}. */
  public void write(Path vmDir, VmSpec spec) throws IOException {
    Path seed = vmDir.resolve(CloudInit.SEED_FILE);
    if (spec.cloudInit().isEmpty()) {
      Files.deleteIfExists(seed);
      return;
    }
    CloudInit c = spec.cloudInit().get();
    Path work = vmDir.resolve(".cidata." + System.nanoTime());
    try {
      Path files = Files.createDirectories(work.resolve("files"));
      Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx------"));
      write(files.resolve("user-data"), c.userData());
      write(files.resolve("meta-data"), c.metaDataFor(spec.name()));
      if (c.networkConfig().isPresent()) {
        write(files.resolve("network-config"), c.networkConfig().get());
      }
      Path iso = work.resolve("seed.iso");
      run(List.of(genisoimage, "-quiet", "-output", iso.toString(), "-volid", CloudInit.LABEL, "-joliet", "-rock",
          "-input-charset", "utf-8", files.toString()), work.resolve("err"));
      Files.setPosixFilePermissions(iso, PosixFilePermissions.fromString("r--------"));
      Files.move(iso, seed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      AtomicFiles.fsyncDir(vmDir);
    } finally {
      AtomicFiles.deleteTree(work);
    }
  }

  private static void write(Path file, String text) throws IOException {
    Files.write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  private void run(List<String> cmd, Path err) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(err.toFile()).start();
    } catch (IOException e) {
      throw new VmException(ErrorCode.INTERNAL, "the cloud-init seed needs " + genisoimage + " (Debian package"
          + " genisoimage; ./vmsup run installs it): " + e.getMessage());
    }
    try {
      if (!p.waitFor(SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new VmException(ErrorCode.UNAVAILABLE, genisoimage + " did not write the seed within " + SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VmException(ErrorCode.INTERNAL, "interrupted while writing the cloud-init seed");
    }
    if (p.exitValue() != 0) {
      String said = Files.readString(err, StandardCharsets.UTF_8).trim();
      throw new VmException(said.contains("No space") ? ErrorCode.NOT_PERSISTED : ErrorCode.INTERNAL,
          "the cloud-init seed was not written: " + genisoimage + " says: " + said);
    }
  }
}
