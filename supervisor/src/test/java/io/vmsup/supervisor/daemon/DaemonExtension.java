package io.vmsup.supervisor.daemon;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.SupervisorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension for daemon tests: a fresh directory per test with an empty state directory in it, the daemons the
 * test starts (in-process {@link DaemonFixture}s or {@code vmsup run} {@link DaemonProcess}es) and anything else it
 * registers; after the test (pass or fail) they are closed newest first, every process whose command line names the
 * directory is killed, and the directory is deleted. Register with
 * {@code @RegisterExtension final DaemonExtension daemons = new DaemonExtension();}.
 */
final class DaemonExtension implements BeforeEachCallback, AfterEachCallback {

  private Path root;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private Vertx clientVertx;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    root = Files.createTempDirectory("vmsup-daemon-it-");
    Files.createDirectory(root.resolve("state"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      StallEvidence.afterTest(context.getExecutionException().orElse(null));
      SupervisorExtension.cleanUp(List.of(), closeables, root, List.of());
    } finally {
      closeables.clear();
      clientVertx = null;
    }
  }

  /** The state directory of this test's daemons (exists, empty, mode 0700, before the test). */
  Path state() {
    return root.resolve("state");
  }

  /** A directory of its own for this test's other files ({@code name} is created once; later calls return it). */
  Path dir(String name) throws Exception {
    return Files.createDirectories(root.resolve(name));
  }

  /** Starts an in-process daemon on {@link #state()}. */
  DaemonFixture start() throws Exception {
    return start(DaemonFixture.config(state()));
  }

  /** Starts an in-process daemon with {@code config}; stopped after the test (its VMs killed) unless already. */
  DaemonFixture start(DaemonConfig config) throws Exception {
    return closeAfter(DaemonFixture.start(config));
  }

  /** Starts {@code vmsup run} as a process on {@link #state()}; SIGTERMed after the test if still running. */
  DaemonProcess process() throws Exception {
    return process(java.util.List.of());
  }

  /** As {@link #process()}, with {@code args} after the default ones. */
  DaemonProcess process(java.util.List<String> args) throws Exception {
    DaemonProcess d = DaemonProcess.start(state(), args);
    closeAfter(() -> {
      if (d.process.isAlive()) {
        d.terminate();
      }
    });
    return d;
  }

  /** A Vert.x for the test's own clients (HTTP, SSE, the bridge), closed after the test. */
  Vertx clientVertx() {
    if (clientVertx == null) {
      Vertx v = Vertx.vertx();
      closeAfter(() -> Await.result(v.close()));
      clientVertx = v;
    }
    return clientVertx;
  }

  /**
   * An HTTP client on {@link #clientVertx()}, held (and closed) by the extension until the test ends: Vert.x 5 closes
   * a client the garbage collector finds unreferenced, and a local variable a test no longer reads is no reference
   * (a GC in the test's JVM closed RelocationIT's event stream: "Connection was closed").
   */
  HttpClient httpClient() {
    HttpClient client = clientVertx().createHttpClient();
    closeAfter(() -> Await.result(client.close()));
    return client;
  }

  /** Closes {@code closeable} after the test, before the daemons started earlier. */
  <T extends AutoCloseable> T closeAfter(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  /** Kills {@code pid} after the test (a QEMU whose command line does not name this test's directory). */
  void killAfter(long pid) {
    closeAfter(() -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }
}
