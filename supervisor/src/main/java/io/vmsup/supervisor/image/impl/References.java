package io.vmsup.supervisor.image.impl;

import io.vertx.core.json.JsonObject;
import io.vmsup.config.PathRoots;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The other files an image's header names: a backing file (qcow2, qed, vhdx differencing) or an external data file
 * (qcow2 {@code data-file}). A crafted header must not make qemu-img or QEMU open a host file: such an image is refused,
 * unless the caller asked to flatten it and every file of its chain is a plain path inside the path roots (a
 * protocol such as {@code json:}, {@code nbd:} or {@code http:} is never followed). Blocking: reads each level's
 * header with qemu-img info, which itself never opens a backing file.
 */
final class References {

  private References() {
  }

  static void check(Path source, String format, JsonObject info, boolean flatten, PathRoots roots, QemuImg qemuImg,
      int maxChain) {
    Path at = source;
    JsonObject level = info;
    for (int depth = 0; depth < maxChain; depth++) {
      Optional<String> data = dataFile(level);
      if (data.isPresent()) {
        allowed(at, data.get(), "an external data file", flatten, roots);
      }
      String backing = level.getString("backing-filename");
      if (backing == null) {
        return;
      }
      Path next = allowed(at, backing, "a backing file", flatten, roots);
      level = qemuImg.info(next, level.getString("backing-filename-format"));
      at = next;
    }
    throw Importer.invalid("path", "the backing chain of " + source + " is longer than " + maxChain);
  }

  private static Path allowed(Path at, String named, String kind, boolean flatten, PathRoots roots) {
    if (!flatten) {
      throw Importer.invalid("path", at + " names " + kind + " (" + named + ") in its header; refused, as QEMU"
          + " would open that file: import a self-contained image, or pass \"flatten\": true to copy the whole"
          + " chain into one image (every file of it must lie in the path roots)");
    }
    Path next = resolve(at, named, kind);
    roots.problem(next.toString()).ifPresent(why -> {
      throw Importer.invalid("path", at + " names " + kind + " " + named + " that may not be read: " + why);
    });
    return next;
  }

  private static Optional<String> dataFile(JsonObject info) {
    JsonObject spec = info.getJsonObject("format-specific");
    JsonObject data = spec == null ? null : spec.getJsonObject("data");
    return Optional.ofNullable(data == null ? null : data.getString("data-file"));
  }

  private static Path resolve(Path from, String named, String kind) {
    if (named.isEmpty() || named.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      throw Importer.invalid("path", from + " names " + kind + " by a protocol or JSON (" + named + "); only plain"
          + " file paths can be flattened");
    }
    Path p = Path.of(named);
    return (p.isAbsolute() ? p : from.toAbsolutePath().getParent().resolve(p)).normalize();
  }
}
