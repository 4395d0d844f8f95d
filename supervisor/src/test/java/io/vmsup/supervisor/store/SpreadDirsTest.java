package io.vmsup.supervisor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vmsup.qmp.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state directory's {@code vms/} spreads new VM directories over ext4's block groups (chattr +T). */
class SpreadDirsTest {

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    Await.result(vertx.close());
  }

  @Test
  void initMarksVmsOnExt4AndTheVmsStillLoad() throws Exception {
    assumeTrue(Files.getFileStore(dir).type().startsWith("ext"), "an ext2/3/4 temp directory");
    StateStore store = new StateStore(vertx, dir.resolve("state"));
    Await.result(store.init());
    assertThat(flags(dir.resolve("state/vms"))).contains("T");
    Await.result(store.create("a", "{\"name\":\"a\"}", Desired.STOPPED));
    RuntimeRecord rec = new RuntimeRecord(42, 12345, "/x/qmp.sock", Instant.parse("2026-01-01T00:00:00Z"));
    Await.result(store.writeRuntime("a", rec));
    // a second daemon on the same directory: marking again is harmless, and what the first wrote loads whole
    StateStore again = new StateStore(vertx, dir.resolve("state"));
    Await.result(again.init());
    List<StoredVm> all = Await.result(again.loadAll());
    assertThat(all).extracting(StoredVm::name).containsExactly("a");
    assertThat(all.get(0).runtime()).isEqualTo(rec);
    assertThat(flags(dir.resolve("state/vms"))).contains("T");
  }

  @Test
  void aFileSystemWithoutTheFlagIsLeftAloneAndInitWorks() throws Exception {
    Path shm = Path.of("/dev/shm");
    assumeTrue(Files.isDirectory(shm) && Files.getFileStore(shm).type().equals("tmpfs"), "a tmpfs at /dev/shm");
    Path state = Files.createTempDirectory(shm, "spread-dirs-test-");
    try {
      assertThat(SpreadDirs.mark(state)).isFalse();
      StateStore store = new StateStore(vertx, state);
      Await.result(store.init());
      Await.result(store.create("a", "{\"name\":\"a\"}", Desired.STOPPED));
      assertThat(Await.result(store.loadAll())).extracting(StoredVm::name).containsExactly("a");
    } finally {
      AtomicFiles.deleteTree(state);
    }
  }

  @Test
  void aMissingDirectoryIsNotMarkedAndNothingThrows() {
    assertThat(SpreadDirs.mark(dir.resolve("missing"))).isFalse();
    assertThat(dir.resolve("missing")).doesNotExist();
  }

  @Test
  void whenChattrFailsTheAnswerIsFalseAndNothingChanges() throws Exception {
    assumeTrue(Files.getFileStore(dir).type().startsWith("ext"), "an ext2/3/4 temp directory");
    Path file = Files.writeString(dir.resolve("plain"), "x");
    // ext4 refuses the flag on a regular file ("Operation not supported"): chattr exits 1
    assertThat(SpreadDirs.mark(file)).isFalse();
    assertThat(flags(file)).doesNotContain("T");
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  /** The flag letters {@code lsattr -d} prints for {@code p}. */
  private static String flags(Path p) throws Exception {
    Process l = new ProcessBuilder("lsattr", "-d", p.toString()).redirectErrorStream(true).start();
    String out = new String(l.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(l.waitFor()).as(out).isZero();
    return out.substring(0, out.indexOf(' '));
  }
}
