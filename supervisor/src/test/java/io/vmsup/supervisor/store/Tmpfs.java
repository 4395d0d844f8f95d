package io.vmsup.supervisor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A small tmpfs mounted for one test (root only), a filler that makes it full, and unmounting (also used by audit tests). */
public final class Tmpfs implements AutoCloseable {

  public final Path mountPoint;
  private final Path filler;

  private Tmpfs(Path mountPoint) {
    this.mountPoint = mountPoint;
    this.filler = mountPoint.resolve("filler");
  }

  public static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Mounts a tmpfs of {@code size} (mount(8) syntax, "2m") on a new directory under /tmp (short socket paths). */
  public static Tmpfs mount(String size) throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "vfd");
    run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString());
    return new Tmpfs(dir);
  }

  /** Writes to a filler file until the file system refuses (ENOSPC). */
  public void fill() throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND)) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException full) {
      assertThat(full.getMessage()).contains("No space left on device");
    }
    // a further small file cannot be written either
    boolean refused = false;
    try {
      Files.write(mountPoint.resolve("probe"), block);
    } catch (IOException e) {
      refused = true;
    }
    Files.deleteIfExists(mountPoint.resolve("probe"));
    assertThat(refused).as("the tmpfs is full").isTrue();
  }

  /** Gives the space back. */
  public void free() throws IOException {
    Files.deleteIfExists(filler);
  }

  /** Every temporary file ({@code *.tmp}) under the mount. */
  List<Path> tempFiles() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> all = Files.walk(mountPoint)) {
      all.filter(p -> p.getFileName().toString().endsWith(".tmp")).forEach(out::add);
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    try {
      run("umount", "-l", mountPoint.toString());
    } finally {
      Files.deleteIfExists(mountPoint);
    }
  }

  static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }
}
