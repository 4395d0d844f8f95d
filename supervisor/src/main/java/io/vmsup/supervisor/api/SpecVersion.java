package io.vmsup.supervisor.api;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The version of a VM's spec: the first 128 bits of the SHA-256 of the spec's JSON text as the daemon stores it, in
 * hex. It changes with every change of the spec (a replace, a hot-plug, a resize that rewrites it) and with nothing
 * else (the VM's state, pid or PCI layout); the same spec text always has the same version, on every host and after
 * a daemon restart. The HTTP API sends it as the strong entity tag ({@code ETag: "<version>"}) of
 * {@code GET /v1/vms/{name}} and takes it in {@code If-Match} for {@code PUT /v1/vms/{name}}.
 */
public final class SpecVersion {

  private static final int HEX_CHARS = 32;

  private SpecVersion() {
  }

  /** The version of this spec (its compact JSON text, members in their stored order). */
  public static String of(JsonObject spec) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(spec.encode().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HEX_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
