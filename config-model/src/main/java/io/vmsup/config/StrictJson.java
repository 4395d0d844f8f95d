package io.vmsup.config;

import io.vmsup.config.impl.StrictJsonParser;
import java.util.Map;

/**
 * The one JSON reader of vmsup, for every input edge (HTTP bodies, the CLI, config files, VM specs): RFC 8259 and
 * nothing more. Refused, with line, column and a reason in plain words ({@link JsonSyntaxException}):
 * duplicate keys, comments, single quotes, unquoted names, trailing commas, {@code NaN}/{@code Infinity}, leading
 * zeros, anything after the value, empty text, nesting deeper than 1000 levels. Numbers keep their exact value:
 * integers as {@link Integer}, {@link Long} or {@link java.math.BigInteger}, others as {@link java.math.BigDecimal}
 * (so {@code 1e400} stays a number too large for any field, never an infinity).
 */
public final class StrictJson {

  private StrictJson() {
  }

  /**
   * Parses any JSON value into plain Java: {@link Map} (insertion ordered), {@link java.util.List}, {@link String},
   * {@link Number}, {@link Boolean} or {@code null}.
   *
   * @throws JsonSyntaxException when the text is not strict JSON
   */
  public static Object parse(String text) {
    return StrictJsonParser.toJava(StrictJsonParser.readTree(text));
  }

  /**
   * Parses a JSON object.
   *
   * @throws JsonSyntaxException when the text is not strict JSON or its value is not an object
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) {
    Object value = parse(text);
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new JsonSyntaxException(0, 0, "a JSON object is required, not " + StrictJsonParser.describe(value));
  }
}
