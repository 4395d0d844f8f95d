package io.vmsup.supervisor.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.http.impl.TokenFileCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token file is checked like sshd's StrictModes checks key files; every refusal says how to fix it. */
class TokenFileCheckTest {

  private static final String GOOD = "0123456789abcdef".repeat(4);

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    Await.result(vertx.close(), Duration.ofSeconds(10));
  }

  private Path token(String text, String mode) throws Exception {
    Path p = dir.resolve("token");
    Files.writeString(p, text);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    return p;
  }

  private Throwable loadFailure(Path p) {
    return Await.failure(AccessToken.loadOrCreate(vertx, p.toString()), Duration.ofSeconds(10));
  }

  @Test
  void aPrivateTokenOfEnoughEntropyIsAccepted() throws Exception {
    assertThat(TokenFileCheck.read(token(GOOD + "\n", "rw-------"))).isEqualTo(GOOD);
    assertThat(TokenFileCheck.read(token("Zz9-".repeat(11), "r--------"))).hasSize(44);
  }

  @Test
  void aWorldReadableTokenIsRefusedWithTheChmodThatFixesIt() throws Exception {
    Path p = token(GOOD, "rw-rw-rw-");
    Throwable failure = loadFailure(p);
    assertThat(failure).isInstanceOf(TokenFileException.class);
    assertThat(failure.getMessage()).contains("mode 0666").contains("chmod 600 " + p)
        .contains("delete the file to have a new random token made");
    assertThat(loadFailure(token(GOOD, "rw-r-----")).getMessage()).contains("mode 0640");
    assertThat(loadFailure(token(GOOD, "rw-----w-")).getMessage()).contains("mode 0602");
  }

  @Test
  void aShortTokenIsRefusedForItsEntropy() throws Exception {
    assertThat(loadFailure(token("f", "rw-------")).getMessage())
        .contains("about 4 bits of entropy (1 characters from a 16-symbol alphabet)").contains("at least 256");
    assertThat(loadFailure(token(GOOD.substring(1), "rw-------")).getMessage()).contains("252 bits");
    assertThat(loadFailure(token("secret", "rw-------")).getMessage()).contains("62-symbol alphabet");
    assertThat(loadFailure(token("tab\there" + GOOD, "rw-------")).getMessage()).contains("printable ASCII");
  }

  @Test
  void aTokenOwnedByAnotherUserIsRefused() throws Exception {
    Path p = token(GOOD, "rw-------");
    Files.setAttribute(p, "unix:uid", 65534);
    int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    assertThat(loadFailure(p).getMessage()).contains("owned by uid 65534")
        .contains("chown " + self + " " + p);
  }

  @Test
  void aSymbolicLinkInPlaceOfTheTokenIsRefused() throws Exception {
    Path target = dir.resolve("elsewhere");
    Files.writeString(target, GOOD);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    Path link = Files.createSymbolicLink(dir.resolve("token"), target);
    assertThat(loadFailure(link).getMessage()).contains("not a regular file");
    assertThatThrownBy(() -> TokenFileCheck.read(link)).isInstanceOf(TokenFileException.class);
  }

  @Test
  void aMissingTokenIsMadeAnewAndPassesItsOwnCheck() throws Exception {
    Path p = dir.resolve("token");
    AccessToken made = AccessToken.loadOrCreate(vertx, p.toString()).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertThat(TokenFileCheck.read(p)).isEqualTo(made.value());
  }
}
