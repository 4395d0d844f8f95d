package io.vmsup.supervisor.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vmsup.qmp.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokenTest {

  @TempDir
  Path dir;

  @Test
  void firstStartWritesAPrivateRandomTokenThatLaterStartsReuse() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      String path = dir.resolve(AccessToken.FILE_NAME).toString();
      AccessToken first = Await.result(AccessToken.loadOrCreate(vertx, path), Duration.ofSeconds(10));
      assertThat(first.value()).matches("[0-9a-f]{64}");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(path)))).isEqualTo("rw-------");
      AccessToken again = Await.result(AccessToken.loadOrCreate(vertx, path), Duration.ofSeconds(10));
      assertThat(again.value()).isEqualTo(first.value());
      assertThat(AccessToken.random().value()).isNotEqualTo(first.value());
    } finally {
      Await.result(vertx.close(), Duration.ofSeconds(10));
    }
  }

  @Test
  void onlyTheExactBearerTokenMatches() {
    AccessToken token = AccessToken.of("abc123");
    assertThat(token.matchesAuthorization("Bearer abc123")).isTrue();
    assertThat(token.matchesAuthorization("bearer abc123")).isTrue();
    assertThat(token.matchesAuthorization("Bearer abc1234")).isFalse();
    assertThat(token.matchesAuthorization("Bearer abc12")).isFalse();
    assertThat(token.matchesAuthorization("Basic abc123")).isFalse();
    assertThat(token.matchesAuthorization("abc123")).isFalse();
    assertThat(token.matchesAuthorization(null)).isFalse();
    assertThat(token.toString()).doesNotContain("abc123");
  }
}
