package io.vmsup.supervisor.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystem;
import io.vmsup.supervisor.http.impl.TokenFileCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The daemon's bearer token: 32 random bytes, hex encoded, kept in {@code <state>/token} (mode 0600).
 * Every {@code /v1} route, the event streams and the event-bus bridge require it.
 */
public final class AccessToken {

  /** Name of the token file inside the state directory. */
  public static final String FILE_NAME = "token";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] value;

  private AccessToken(String value) {
    this.value = value.getBytes(StandardCharsets.US_ASCII);
  }

  /** A token with a known value (tests, clients). */
  public static AccessToken of(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("empty token");
    }
    return new AccessToken(value.trim());
  }

  /** A fresh random token. */
  public static AccessToken random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return new AccessToken(HexFormat.of().formatHex(bytes));
  }

  /**
   * Reads the token file, or writes a new random token there (mode 0600) when it does not exist yet. An existing
   * file must pass the checks of sshd's StrictModes ({@link TokenFileCheck}): owned by the daemon's user, not
   * readable or writable by group or others, at least 256 bits of entropy. Blocking checks run on a worker.
   *
   * @return a future failed with a {@link TokenFileException} saying how to fix an untrusted file, or with the file
   *     system's exception when the file can be neither read nor written
   */
  public static Future<AccessToken> loadOrCreate(Vertx vertx, String path) {
    FileSystem fs = vertx.fileSystem();
    return fs.lprops(path).transform(ar -> Future.succeededFuture(ar.succeeded())).compose(exists -> {
      if (exists) {
        return vertx.executeBlocking(() -> of(TokenFileCheck.read(Path.of(path))), false);
      }
      AccessToken token = random();
      // create with 0600 first, then write: the secret never sits in a world-readable file
      return fs.createFile(path, "rw-------")
          .compose(v -> fs.writeFile(path, Buffer.buffer(token.value()).appendString("\n")))
          .map(token);
    });
  }

  /** The token text, for writing it out or sending it. */
  public String value() {
    return new String(value, StandardCharsets.US_ASCII);
  }

  /** Constant-time comparison of a presented token with this one. */
  public boolean matches(String presented) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(value, presented.trim().getBytes(StandardCharsets.US_ASCII));
  }

  /** Checks an {@code Authorization} header value of the form {@code Bearer <token>}. */
  public boolean matchesAuthorization(String header) {
    if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return matches(header.substring(7));
  }

  @Override
  public String toString() {
    return "AccessToken[redacted]";
  }
}
