package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.bench.QmpCut;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.launch.Liveness;
import io.vmsup.supervisor.launch.ProcWatch;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Cannot tell" is not "dead", for real: this test JVM (the supervisor runs in it) is driven to its descriptor
 * limit, then an adopted VM's QMP connection is closed. QEMU's /proc entry cannot be opened and QMP cannot be
 * reconnected (EMFILE): the VM must go UNKNOWN {@code liveness-unknown}, neither
 * CRASHED nor restarted nor killed, and come back (same pid, QMP answering) once descriptors are free again.
 */
class LivenessUnknownIT {

  private static final Duration T = Duration.ofSeconds(30);

  @RegisterExtension
  final SupervisorExtension sup = new SupervisorExtension();

  @Test
  void aVmWhoseQmpCannotBeReconnectedForWantOfDescriptorsIsUnknownThenBack() throws Exception {
    Fixture first = sup.start();
    first.request(Addresses.CREATE, Fixture.spec("u", new JsonObject().put("restart", "always")
        .put("backoffInitial", "1ms")));
    long pid = first.request(Addresses.START, Fixture.name("u")).getLong("pid");
    first.close();
    Fixture f = sup.start();
    assertThat(f.awaitState("u", "RUNNING", T).getString("reason")).isEqualTo("reattached");
    // once without exhaustion: every class of the path is loaded before descriptors run out
    QmpCut.cut(f.qmpSocket("u"));
    f.awaitEvent(e -> "qmp-reconnected".equals(e.getString("type")), T);
    // and the replies the test asks for while descriptors are short (a class cannot be loaded at EMFILE)
    f.request(Addresses.GET, Fixture.name("u"));
    f.failure(Addresses.GET, Fixture.name("nobody"));

    long self = ProcessHandle.current().pid();
    String original = softLimit(self);
    List<FileChannel> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread grabber = null;
    // the JDK's ProcessHandle.isAlive() is itself blind at EMFILE: the test watches QEMU the daemon's way
    ProcWatch qemu = ProcWatch.of(pid, io.vmsup.supervisor.launch.ProcFs.startTime(pid).orElseThrow());
    try {
      prlimit(self, descriptors(self) + 16 + ":" + hardLimit(self));
      // the close frees the QMP socket's descriptor: exhaust after it, inside the 400 ms the liveness check waits,
      // and keep taking every descriptor the daemon's other work frees (log checks open and close files)
      QmpCut.cut(f.qmpSocket("u"));
      exhaust(held);
      grabber = new Thread(() -> keepExhausted(held), "fd-grabber");
      grabber.start();
      JsonObject unknown = f.awaitState("u", "UNKNOWN", T);
      assertThat(unknown.getString("reason")).isEqualTo("liveness-unknown");
      JsonObject view = f.request(Addresses.GET, Fixture.name("u"));
      assertThat(view.getString("state")).isEqualTo("UNKNOWN");
      assertThat(view.getLong("pid")).isEqualTo(pid);
    } finally {
      if (grabber != null) {
        grabber.interrupt();
        grabber.join();
      }
      for (FileChannel c : held) {
        c.close();
      }
      prlimit(self, original + ":" + hardLimit(self)); // this JVM runs the other tests too
    }
    assertThat(qemu.probe().liveness()).as("never killed: the same process").isEqualTo(Liveness.ALIVE);
    JsonObject back = f.awaitState("u", "RUNNING", T);
    assertThat(back.getString("reason")).isEqualTo("qmp-reconnected");
    JsonObject view = f.request(Addresses.GET, Fixture.name("u"));
    assertThat(view.getLong("pid")).isEqualTo(pid);
    assertThat(view.getInteger("restarts")).isZero();
    assertThat(f.request(Addresses.QMP, Fixture.name("u").put("execute", "query-status"))
        .getJsonObject("return").getBoolean("running")).isTrue();
    for (String never : List.of("CRASHED", "STARTING", "FAILED")) {
      assertThatThrownBy(() -> f.awaitState("u", never, Duration.ofMillis(1))).as("no " + never + " on the way")
          .isInstanceOf(AssertionError.class);
    }
  }

  /** Opens /dev/null until the limit refuses (EMFILE), keeping every descriptor. */
  private static void exhaust(List<FileChannel> held) {
    for (int i = 0; i < 100_000; i++) {
      try {
        held.add(FileChannel.open(Path.of("/dev/null")));
      } catch (IOException full) {
        assertThat(full.getMessage()).contains("Too many open files");
        return;
      }
    }
    throw new AssertionError("no descriptor limit reached");
  }

  /** Takes any descriptor freed meanwhile, until interrupted. */
  private static void keepExhausted(List<FileChannel> held) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        held.add(FileChannel.open(Path.of("/dev/null")));
      } catch (IOException full) {
        Thread.onSpinWait();
      }
    }
  }

  private static int descriptors(long pid) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return (int) fds.count();
    }
  }

  private static String softLimit(long pid) throws IOException {
    return limits(pid)[3];
  }

  private static String hardLimit(long pid) throws IOException {
    return limits(pid)[4];
  }

  /** The "Max open files" line of /proc/<pid>/limits, split on blanks. */
  private static String[] limits(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits")).stream()
        .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow().trim().split("\\s+");
  }

  private static void prlimit(long pid, String softHard) throws Exception {
    Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + softHard)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }
}
