package io.vmsup.supervisor.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that provides the real test guest: on first use in a JVM it runs
 * {@code scripts/build-test-guest} (which rebuilds only when its inputs changed) and resolves {@link GuestImage}
 * parameters to the kernel and initramfs it produced.
 *
 * <p>If the build fails, every test that asks for the guest fails with the script's output: the guest is a hard
 * requirement of the tests that use it, never a reason to skip them.
 *
 * <p>The output directory is {@code $VMSUP_GUEST_CACHE}, else {@code ~/.cache/vmsup/guest} (as in the script).
 */
public final class TestGuest implements ParameterResolver {

  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
  private static GuestImage image;
  private static String failure;

  /**
   * The guest image, built on the first call in this JVM.
   *
   * @throws AssertionError with the script's output when the build failed (also on every later call)
   */
  public static synchronized GuestImage image() {
    if (image == null && failure == null) {
      try {
        image = build();
      } catch (IOException | RuntimeException e) {
        failure = "scripts/build-test-guest could not run: " + e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while building the test guest", e);
      }
    }
    if (failure != null) {
      throw new AssertionError(failure);
    }
    return image;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == GuestImage.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return image();
  }

  private static GuestImage build() throws IOException, InterruptedException {
    Path script = findScript();
    Path cache = cacheDir();
    Path log = Files.createTempFile("vmsup-build-test-guest", ".log");
    long start = System.nanoTime();
    ProcessBuilder builder = new ProcessBuilder(script.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()));
    builder.environment().put("VMSUP_GUEST_CACHE", cache.toString());
    Process process = builder.start();
    boolean exited = process.waitFor(BUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    if (!exited || process.exitValue() != 0) {
      failure = script + (exited ? " failed with exit code " + process.exitValue() : " timed out after " + BUILD_TIMEOUT)
          + ":\n" + output;
      throw new AssertionError(failure);
    }
    GuestImage built = new GuestImage(cache.resolve("vmlinuz"), cache.resolve("initrd.gz"), cache.resolve("manifest"));
    if (!Files.isRegularFile(built.kernel()) || !Files.isRegularFile(built.initrd())) {
      failure = script + " succeeded but left no vmlinuz/initrd.gz in " + cache + ":\n" + output;
      throw new AssertionError(failure);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.err.printf("[test-guest] %s ready in %d ms (%s)%n", cache, millis, lastLine(output));
    return built;
  }

  private static Path cacheDir() {
    String env = System.getenv("VMSUP_GUEST_CACHE");
    if (env != null && !env.isEmpty()) {
      return Paths.get(env).toAbsolutePath();
    }
    return Paths.get(System.getProperty("user.home"), ".cache", "vmsup", "guest");
  }

  // Surefire runs with the module directory as working directory; walk up to the repository root.
  private static Path findScript() throws IOException {
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve("scripts").resolve("build-test-guest");
      if (Files.isExecutable(script)) {
        return script;
      }
    }
    throw new IOException("no executable scripts/build-test-guest above " + Paths.get("").toAbsolutePath());
  }

  private static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].startsWith("build-test-guest:")) {
        return lines[i];
      }
    }
    return lines[lines.length - 1];
  }
}
