package io.vmsup.supervisor.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/build-test-guest} itself: a copy of the scripts builds into a fresh cache seeded with the packages
 * the real build downloaded, reproduces the real build byte for byte, reuses a current cache, rebuilds
 * when the guest sources change, and re-downloads a package whose hash no longer matches the archive's.
 */
@ExtendWith(TestGuest.class)
class BuildTestGuestIT {

  @Test
  void buildsReproduciblyReusesTheCacheAndRebuildsWhenInputsChange(GuestImage guest, @TempDir Path dir)
      throws Exception {
    Path scripts = copyScripts(dir.resolve("scripts"));
    Path cache = dir.resolve("cache");
    seedDebs(guest.manifest().getParent().resolve("debs"), cache.resolve("debs"));

    String first = run(scripts, cache);
    assertThat(first).contains("building:").contains("sha256 ok").doesNotContain("downloading");
    assertThat(Files.readAllBytes(cache.resolve("initrd.gz"))).isEqualTo(Files.readAllBytes(guest.initrd()));
    assertThat(Files.readAllBytes(cache.resolve("vmlinuz"))).isEqualTo(Files.readAllBytes(guest.kernel()));
    FileTime built = Files.getLastModifiedTime(cache.resolve("initrd.gz"));

    assertThat(run(scripts, cache)).contains("up to date");
    assertThat(Files.getLastModifiedTime(cache.resolve("initrd.gz"))).isEqualTo(built);

    // Change the guest sources and damage the cached busybox package: one rebuild must notice both.
    Files.writeString(scripts.resolve("guest/init"), "# changed by a test\n", StandardOpenOption.APPEND);
    Path busybox = debOf(cache.resolve("debs"), "busybox-static_");
    Files.delete(busybox); // a hard link into the real cache: replace it, never write through it
    Files.writeString(busybox, "not a package");
    String key = manifestValue(cache, "key");

    String rebuilt = run(scripts, cache);

    assertThat(rebuilt).contains("building:").contains("downloaded busybox-static")
        .doesNotContain("downloading linux-image");
    assertThat(manifestValue(cache, "key")).isNotEqualTo(key);
    assertThat(Files.readAllBytes(cache.resolve("initrd.gz"))).isNotEqualTo(Files.readAllBytes(guest.initrd()));
  }

  private static String run(Path scripts, Path cache) throws IOException, InterruptedException {
    Path log = cache.getParent().resolve("build.log");
    ProcessBuilder builder = new ProcessBuilder(scripts.resolve("build-test-guest").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("VMSUP_GUEST_CACHE", cache.toString());
    Process process = builder.start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("build finished").isTrue();
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("exit code; output:\n%s", output).isZero();
    return output;
  }

  // The copy must hash like the original: same file names and contents under scripts/.
  private static Path copyScripts(Path target) throws IOException {
    Path source = findScripts();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return target;
  }

  private static void seedDebs(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> debs = Files.list(from)) {
      for (Path deb : debs.filter(p -> p.toString().endsWith(".deb")).toList()) {
        try {
          Files.createLink(to.resolve(deb.getFileName()), deb);
        } catch (IOException | UnsupportedOperationException crossDevice) {
          Files.copy(deb, to.resolve(deb.getFileName()));
        }
      }
    }
  }

  private static Path debOf(Path debs, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(debs)) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
          .orElseThrow(() -> new AssertionError("no " + prefix + "*.deb in " + debs));
    }
  }

  private static String manifestValue(Path cache, String key) throws IOException {
    List<String> lines = Files.readAllLines(cache.resolve("manifest"));
    return lines.stream().filter(l -> l.startsWith(key + "=")).findFirst()
        .map(l -> l.substring(key.length() + 1)).orElseThrow();
  }

  private static Path findScripts() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isExecutable(d.resolve("scripts/build-test-guest"))) {
        return d.resolve("scripts");
      }
    }
    throw new AssertionError("no scripts/build-test-guest above " + Path.of("").toAbsolutePath());
  }
}
