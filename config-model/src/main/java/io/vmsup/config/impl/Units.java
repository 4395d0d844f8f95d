package io.vmsup.config.impl;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmsup.config.Size;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Values with units in a spec: sizes ({@code "512M"}) and durations ({@code "30s"}), each problem at its path. */
final class Units {

  private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})([KMGTkmgt]?)");
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

  private Units() {
  }

  /** A size: bytes as a JSON integer, or a string like {@code "512M"}, {@code "2G"}, {@code "4096"}. */
  static Optional<Size> size(JsonNode v, String where, Problems problems) {
    String msg = "must be a size: bytes, or a string like \"512M\" or \"2G\" (suffix K, M, G or T)";
    if (v.isNumber()) {
      OptionalLong bytes = Numbers.whole(v, where, problems, "must be a size in bytes >= 0");
      if (bytes.isPresent() && bytes.getAsLong() < 0) {
        problems.add(where, "must be >= 0 (a size in bytes), not " + bytes.getAsLong());
        return Optional.empty();
      }
      return bytes.isPresent() ? Optional.of(new Size(bytes.getAsLong())) : Optional.empty();
    }
    Matcher m = v.isTextual() ? SIZE.matcher(v.textValue()) : null;
    if (m == null || !m.matches()) {
      problems.add(where, msg + ", not " + Obj.describe(v));
      return Optional.empty();
    }
    int shift = 10 * ("KMGT".indexOf(m.group(2).toUpperCase(Locale.ROOT)) + 1);
    try {
      long n = Long.parseLong(m.group(1));
      if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
        throw new NumberFormatException();
      }
      return Optional.of(new Size(n << shift));
    } catch (NumberFormatException e) {
      problems.add(where, "is too large: " + v.textValue());
      return Optional.empty();
    }
  }

  /** A duration: {@code "500ms"}, {@code "30s"}, {@code "2m"} or {@code "1h"}. */
  static Optional<Duration> duration(String s, String where, Problems problems) {
    Matcher m = DURATION.matcher(s);
    if (!m.matches()) {
      problems.add(where, "must be a duration like \"500ms\", \"30s\", \"2m\" or \"1h\", not \"" + s + "\"");
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    return Optional.of(switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    });
  }
}
