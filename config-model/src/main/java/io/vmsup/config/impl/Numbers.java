package io.vmsup.config.impl;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.OptionalLong;

/** Numbers read as numbers: a whole value in the range of a long, or a violation that says which it is not. */
final class Numbers {

  private static final BigDecimal MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private Numbers() {
  }

  /**
   * The whole value of a number node ({@code 3}, {@code 3.0}, {@code 3e2}); a violation when it has a fraction or
   * lies beyond a long ({@code 1e400}: "number out of range").
   *
   * @param range what the caller allows, for the out-of-range message
   */
  static OptionalLong whole(JsonNode v, String where, Problems problems, String range) {
    BigDecimal d = v.decimalValue();
    if (d.compareTo(MIN) < 0 || d.compareTo(MAX) > 0) {
      problems.add(where, "number out of range: " + range + ", not " + v.asText());
      return OptionalLong.empty();
    }
    if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
      problems.add(where, "must be a whole number, not " + d.toPlainString());
      return OptionalLong.empty();
    }
    return OptionalLong.of(d.longValueExact());
  }
}
