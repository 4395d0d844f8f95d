package io.vmsup.config.impl;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmsup.config.CloudInit;
import io.vmsup.config.Device;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** {@code cloudInit: {userData, metaData?, networkConfig?}}: texts of at most 256 KiB each, lines allowed. */
final class CloudInitParser {

  /** The most bytes (UTF-8) of one text. */
  static final int MAX_BYTES = 256 << 10;

  private CloudInitParser() {
  }

  static CloudInit parse(Obj o, List<Device> devices) {
    Optional<String> user = text(o, "userData");
    o.problems().check(o.has("userData"), o.at("userData"), "is required: the user-data text (e.g. a"
        + " \"#cloud-config\" document)");
    CloudInit c = new CloudInit(user.orElse(""), text(o, "metaData"), text(o, "networkConfig"));
    o.end();
    for (Device d : devices) {
      o.problems().check(!d.id().equals(CloudInit.SEED_ID), o.path(), "the device id \"" + CloudInit.SEED_ID
          + "\" is the seed's; give the other device another id");
    }
    return c;
  }

  // a text of lines: tabs, CR and LF allowed, no other control characters (a NUL would cut the file short)
  private static Optional<String> text(Obj o, String key) {
    Optional<JsonNode> raw = o.raw(key);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    JsonNode v = raw.get();
    if (!v.isTextual()) {
      o.problems().add(o.at(key), "must be a string, not " + Obj.type(v));
      return Optional.empty();
    }
    String s = v.textValue();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f) {
        o.problems().add(o.at(key), "must not contain control characters but tab, CR and LF (found U+%04X)"
            .formatted((int) c));
        return Optional.empty();
      }
    }
    if (s.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      o.problems().add(o.at(key), "is longer than " + MAX_BYTES + " bytes (UTF-8)");
      return Optional.empty();
    }
    return Optional.of(s);
  }
}
