package io.vmsup.supervisor.network.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;

/** dnsmasq's lease file: one line per lease, {@code EXPIRY MAC IP HOSTNAME CLIENT-ID}. Blocking. */
final class Leases {

  private Leases() {
  }

  static JsonArray read(Path file) throws IOException {
    JsonArray out = new JsonArray();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return out;
    }
    for (String line : text.split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length < 3 || !f[0].matches("[0-9]{1,19}")) {
        continue;
      }
      JsonObject lease = new JsonObject().put("mac", f[1].toLowerCase(java.util.Locale.ROOT)).put("ip", f[2]);
      long expiry = Long.parseLong(f[0]);
      lease.put("expires", expiry == 0 ? null : Instant.ofEpochSecond(expiry).toString());
      if (f.length > 3 && !"*".equals(f[3])) {
        lease.put("hostname", f[3]);
      }
      out.add(lease);
    }
    return out;
  }
}
