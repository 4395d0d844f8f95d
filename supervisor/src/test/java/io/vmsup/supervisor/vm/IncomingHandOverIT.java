package io.vmsup.supervisor.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An incoming migration from a file the daemon opens: a paused q35 VM's state is saved to a file (its own
 * {@code migrate} to a unix socket the test copies into the file), then a second VM with the same spec and
 * {@code incoming: "file:PATH"} starts from it: QEMU ran with {@code -S -incoming defer} and never saw the path, the
 * daemon passed the descriptor and ran {@code migrate-incoming}, QEMU reports the migration completed, and the VM
 * went on to RUNNING. A file that holds no migration stream, or is no regular file, fails the start.
 */
class IncomingHandOverIT {

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();
  private Fixture f;
  private Path dir;

  @BeforeEach
  void start() throws Exception {
    f = supervisors.start();
    dir = Files.createDirectories(f.supervisor.options().stateDir().resolve("mig"));
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  private static JsonObject spec(String name, boolean paused) {
    return new JsonObject().put("name", name).put("machine", new JsonObject().put("type", "q35").put("accel", "tcg"))
        .put("memory", new JsonObject().put("size", "64M"))
        .put("supervision", new JsonObject().put("startPaused", paused));
  }

  private JsonObject qmp(String vm, String command, JsonObject args) throws Exception {
    return f.request(Addresses.QMP, new JsonObject().put("name", vm).put("execute", command).put("arguments", args));
  }

  /** Saves VM {@code vm}'s state into {@code file} through a unix socket the test listens on. */
  private void save(String vm, Path file) throws Exception {
    // in a directory open to all: the VM's QEMU may run under a uid of its own
    Path sock = dir.resolve("out.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(sock));
      Files.setPosixFilePermissions(sock, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
      CompletableFuture<Long> copied = new CompletableFuture<>();
      Thread copier = new Thread(() -> {
        try (SocketChannel in = server.accept(); FileChannel out = FileChannel.open(file,
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          copied.complete(out.transferFrom(in, 0, Long.MAX_VALUE));
        } catch (Exception e) {
          copied.completeExceptionally(e);
        }
      }, "migration-copier");
      copier.start();
      qmp(vm, "migrate", new JsonObject().put("uri", "unix:" + sock));
      try {
        assertThat(copied.get(60, TimeUnit.SECONDS)).isPositive();
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("no state arrived: " + qmp(vm, "query-migrate", new JsonObject()));
      } finally {
        Files.deleteIfExists(sock);
      }
    }
    Await.until("the source's migration completed", () -> "completed".equals(
        qmp(vm, "query-migrate", new JsonObject()).getJsonObject("return").getString("status")),
        Duration.ofSeconds(60));
  }

  @Test
  void aVmStartsFromAStateFileTheDaemonHandsOver() throws Exception {
    f.request(Addresses.CREATE, spec("src", true));
    assertThat(f.request(Addresses.START, Fixture.name("src")).getString("state")).isEqualTo("PAUSED");
    Path state = dir.resolve("src state,1.bin");
    save("src", state);

    f.request(Addresses.CREATE, spec("dst", false).put("incoming", "file:" + state));
    JsonObject started = f.request(Addresses.START, Fixture.name("dst"));
    assertThat(started.getString("state")).as("cont after the migration").isEqualTo("RUNNING");
    JsonObject migration = qmp("dst", "query-migrate", new JsonObject()).getJsonObject("return");
    assertThat(migration.getString("status")).isEqualTo("completed");
    long pid = f.request(Addresses.GET, Fixture.name("dst")).getLong("pid");
    List<String> argv = List.of(Fixture.cmdline(pid).split("\0"));
    assertThat(String.join(" ", argv)).contains("-S -incoming defer").doesNotContain(state.toString());

    JsonObject render = f.request(Addresses.RENDER, Fixture.name("dst"));
    assertThat(render.getJsonObject("incoming").getString("file")).isEqualTo(state.toString());
    assertThat(render.getString("afterHandOver")).isEqualTo("cont");
  }

  @Test
  void aFileThatHoldsNoStateFailsTheStartWithQemusWord() throws Exception {
    Path junk = dir.resolve("junk.bin");
    Files.write(junk, new byte[4096]);
    f.request(Addresses.CREATE, spec("junk", false).put("incoming", "file:" + junk));
    VmException e = VmException.fromReply(f.failure(Addresses.START, Fixture.name("junk")));
    assertThat(e.getMessage()).contains("failed to start");
    assertThat(e.details().getJsonArray("logTail").encode()).containsIgnoringCase("migration");
    assertThat(f.request(Addresses.GET, Fixture.name("junk")).getString("state")).isEqualTo("FAILED");
  }

  @Test
  void aDirectoryOrAPathOutsideTheRootsIsRefused() throws Exception {
    f.request(Addresses.CREATE, spec("dir", false).put("incoming", "file:" + dir));
    VmException e = VmException.fromReply(f.failure(Addresses.START, Fixture.name("dir")));
    assertThat(e.getMessage()).contains("not a regular file");
    assertThat(e.details().getValue("exitCode")).as("no QEMU was spawned").isNull();

    VmException outside = VmException.fromReply(f.failure(Addresses.CREATE,
        spec("out", false).put("incoming", "file:/etc/shadow")));
    assertThat(outside.code()).isEqualTo(ErrorCode.INVALID);
    assertThat(outside.details().encode()).contains("\"path\":\"incoming\"");
  }
}
