package io.vmsup.supervisor.http.impl;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whole numbers written with a fraction or an exponent ({@code 3.0}, {@code 3e2}) as integers before schema
 * validation: JSON Schema counts them as integers, as config-model does, but the validator's check of a decimal is
 * scale-sensitive. A whole number of more than 30 digits becomes ±10^30: it is beyond every bound of the API either
 * way, and {@code 1e999999999} must not become a billion-digit integer.
 */
final class WholeNumbers {

  /** The magnitude at which a whole number stops being kept exactly. */
  static final BigDecimal HUGE = BigDecimal.TEN.pow(30);

  private WholeNumbers() {
  }

  /** The value with every whole decimal replaced by an integer; maps and lists copied, the rest as is. */
  static Object normalise(Object value) {
    if (value instanceof BigDecimal d && d.signum() == 0) {
      return BigInteger.ZERO;
    }
    if (value instanceof BigDecimal d && d.scale() <= 0 || value instanceof BigDecimal w && w.precision() - w.scale()
        <= 400 && w.stripTrailingZeros().scale() <= 0) {
      BigDecimal d = (BigDecimal) value;
      return d.abs().compareTo(HUGE) >= 0 ? HUGE.toBigInteger().multiply(BigInteger.valueOf(d.signum()))
          : d.toBigIntegerExact();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put((String) k, normalise(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(normalise(v)));
      return out;
    }
    return value;
  }
}
