package io.vmsup.supervisor.http;

import io.vmsup.supervisor.api.Scope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vmsup.supervisor.http.impl.TokenFileCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The daemon's two bearer tokens: {@code <state>/token} ({@link Scope#ADMIN}) and {@code <state>/token.read}
 * ({@link Scope#READ}), each created on first start (mode 0600). {@link #watch} re-reads both files every second, so
 * {@code vmsup token rotate} replaces a token without a restart. Safe to read from any thread.
 */
public final class Tokens {

  /** Name of the read-only token file inside the state directory. */
  public static final String READ_FILE_NAME = "token.read";

  private static final Logger LOG = Logger.getLogger(Tokens.class.getName());

  private final AtomicReference<AccessToken> admin;
  private final AtomicReference<AccessToken> read;

  private Tokens(AccessToken admin, AccessToken read) {
    this.admin = new AtomicReference<>(admin);
    this.read = new AtomicReference<>(read);
  }

  /** Fixed tokens (tests, embedding); {@code read} may be null for none. */
  public static Tokens of(AccessToken admin, AccessToken read) {
    return new Tokens(admin, read);
  }

  /** Reads both token files of a state directory, creating either when missing. */
  public static Future<Tokens> loadOrCreate(Vertx vertx, Path stateDir) {
    Future<AccessToken> a = AccessToken.loadOrCreate(vertx, stateDir.resolve(AccessToken.FILE_NAME).toString());
    Future<AccessToken> r = AccessToken.loadOrCreate(vertx, stateDir.resolve(READ_FILE_NAME).toString());
    return Future.all(a, r).map(v -> new Tokens(a.result(), r.result()));
  }

  /** The scope an {@code Authorization: Bearer <token>} header grants, or empty when it matches no token. */
  public Optional<Scope> scopeOf(String authorization) {
    if (admin.get().matchesAuthorization(authorization)) {
      return Optional.of(Scope.ADMIN);
    }
    AccessToken r = read.get();
    return r != null && r.matchesAuthorization(authorization) ? Optional.of(Scope.READ) : Optional.empty();
  }

  public AccessToken admin() {
    return admin.get();
  }

  /** The read-only token, or null when there is none. */
  public AccessToken read() {
    return read.get();
  }

  /**
   * Re-reads the two token files of {@code stateDir} every {@code periodMs} on a worker and takes a changed token at
   * once; a missing file, or one that fails the start-time checks (owner, mode 0600, entropy), keeps the current token
   * and says why on the daemon's log (a rotation writes the new file by rename, never half-written).
   *
   * @return the timer id
   */
  public long watch(Vertx vertx, Path stateDir, long periodMs) {
    return vertx.setPeriodic(periodMs, id -> vertx.executeBlocking(() -> {
      reload(stateDir.resolve(AccessToken.FILE_NAME), admin, "admin");
      reload(stateDir.resolve(READ_FILE_NAME), read, "read");
      return null;
    }, false));
  }

  private static void reload(Path file, AtomicReference<AccessToken> holder, String scope) {
    try {
      if (!Files.isRegularFile(file)) {
        return;
      }
      // the same checks as at start: a rotated file that is group-readable or weak is refused, the old token kept
      String text = TokenFileCheck.read(file).trim();
      AccessToken current = holder.get();
      if (!text.isEmpty() && (current == null || !current.matches(text))) {
        holder.set(AccessToken.of(text));
        LOG.info("the " + scope + " token changed (" + file + "): the new one is in force");
      }
    } catch (java.io.IOException | RuntimeException e) {
      LOG.warning("cannot re-read " + file + ", keeping the current " + scope + " token: " + e);
    }
  }
}
