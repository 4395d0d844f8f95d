package io.vmsup.supervisor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension for tests of the in-process supervisor: a fresh state directory per test, every {@link Fixture}
 * the test starts in it, and after the test (pass or fail) the clean-up every such test needs: SIGCONT for the
 * processes it SIGSTOPped, each fixture closed, every process whose command line names the directory killed, the
 * directory deleted. Register with {@code @RegisterExtension final SupervisorExtension sup = new SupervisorExtension();}.
 */
public final class SupervisorExtension implements BeforeEachCallback, AfterEachCallback {

  private Path dir;
  private final List<Fixture> fixtures = new ArrayList<>();
  private final List<Long> stopped = new ArrayList<>();

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("vmsup-it-");
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      cleanUp(stopped, fixtures, dir);
    } finally {
      fixtures.clear();
      stopped.clear();
    }
  }

  /** This test's state directory (fresh and empty before the test). */
  public Path dir() {
    return dir;
  }

  /** {@link Fixture#options} on this test's directory. */
  public SupervisorOptions options() {
    return Fixture.options(dir);
  }

  /** Starts a supervisor with {@link #options()}; closed after the test unless the test closed it. */
  public Fixture start() throws Exception {
    return start(options());
  }

  /** Starts a supervisor with {@code options}; closed after the test unless the test closed it. */
  public Fixture start(SupervisorOptions options) throws Exception {
    Fixture f = Fixture.start(options);
    fixtures.add(f);
    return f;
  }

  /** Sends SIGSTOP to {@code pid} and resumes it (SIGCONT) after the test, before anything is closed. */
  public void stop(long pid) throws Exception {
    stopped.add(pid);
    Fixture.signal(pid, "STOP");
  }

  /**
   * The clean-up of a test: SIGCONT for {@code stoppedPids}, the fixtures closed (newest first), then every process
   * naming {@code dir} killed and {@code dir} deleted, even when a close failed (its failure is thrown afterwards).
   */
  public static void cleanUp(List<Long> stoppedPids, List<? extends AutoCloseable> closeables, Path dir) throws Exception {
    Exception first = null;
    for (long pid : stoppedPids) {
      Fixture.signal(pid, "CONT");
    }
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception | AssertionError e) {
        first = first == null ? new Exception("clean-up failed", e) : first;
      }
    }
    if (dir != null) {
      Fixture.killAll(dir);
      deleteTree(dir);
    }
    if (first != null) {
      throw first;
    }
  }

  /** Deletes {@code dir} and everything below it; what cannot be deleted is left (the next test has its own). */
  public static void deleteTree(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
