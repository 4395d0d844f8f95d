package io.vmsup.supervisor;

import io.vmsup.supervisor.api.SupervisorOptions;
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
 * processes it SIGSTOPped, each fixture (and anything else registered with {@link #closeAfter}) closed, every process whose command line names the directory killed, the
 * directory deleted. Register with {@code @RegisterExtension final SupervisorExtension sup = new SupervisorExtension();}.
 */
public final class SupervisorExtension implements BeforeEachCallback, AfterEachCallback {

  private Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<Long> stopped = new ArrayList<>();
  private final List<AutoCloseable> afterProcesses = new ArrayList<>();
  private final List<Path> otherDirs = new ArrayList<>();

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("vmsup-it-");
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      for (Path other : otherDirs) {
        closeables.add(0, () -> Fixture.killAll(other));
      }
      cleanUp(stopped, closeables, dir, afterProcesses);
    } finally {
      otherDirs.clear();
      closeables.clear();
      stopped.clear();
      afterProcesses.clear();
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
    return closeAfter(Fixture.start(options));
  }

  /** Closes {@code closeable} after the test, before what was registered earlier (a stray process, a client). */
  public <T extends AutoCloseable> T closeAfter(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  /** Also kills, after the test, every process whose command line names {@code other} (a state directory elsewhere). */
  public void killAlsoUnder(Path other) {
    otherDirs.add(other);
  }

  /** Runs {@code cleanUp} after the test's processes are gone (for what they held open, such as a tap device). */
  public void afterProcesses(AutoCloseable cleanUp) {
    afterProcesses.add(cleanUp);
  }

  /** Sends SIGSTOP to {@code pid} and resumes it (SIGCONT) after the test, before anything is closed. */
  public void stop(long pid) throws Exception {
    stopped.add(pid);
    Fixture.signal(pid, "STOP");
  }

  /**
   * The clean-up of a test: SIGCONT for {@code stoppedPids}, the fixtures closed (newest first), then every process
   * naming {@code dir} killed, {@code afterProcesses} run and {@code dir} deleted, even when a close failed (the first
   * failure is thrown afterwards).
   */
  public static void cleanUp(List<Long> stoppedPids, List<? extends AutoCloseable> closeables, Path dir,
                             List<? extends AutoCloseable> afterProcesses) throws Exception {
    for (long pid : stoppedPids) {
      Fixture.signal(pid, "CONT");
    }
    Exception first = closeAll(closeables, null);
    if (dir != null) {
      Fixture.killAll(dir);
      io.vmsup.supervisor.cgroup.Cgroups.removeLeftovers(dir);
    }
    first = closeAll(afterProcesses, first);
    if (dir != null) {
      deleteTree(dir);
    }
    if (first != null) {
      throw first;
    }
  }

  /** Closes each of {@code all}, newest first; returns {@code first}, or else the first failure as an exception. */
  private static Exception closeAll(List<? extends AutoCloseable> all, Exception first) {
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        all.get(i).close();
      } catch (Exception | AssertionError e) {
        first = first == null ? new Exception("clean-up failed", e) : first;
      }
    }
    return first;
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
