package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one strict JSON reader: what it refuses, where, and in which words; numbers stay exact. */
class StrictJsonTest {

  private static String refused(String text) {
    try {
      StrictJson.parse(text);
    } catch (JsonSyntaxException e) {
      assertThat(e.getMessage()).doesNotContain("Source").doesNotContain("jackson").doesNotContain("Feature")
          .doesNotContain("code ");
      return e.getMessage();
    }
    throw new AssertionError("accepted: " + text);
  }

  @Test
  void refusesWhatLenientParsersAccept() {
    assertThat(refused("{\"a\": 1, \"a\": 2}")).isEqualTo("invalid JSON at line 1, column 13: duplicate key \"a\"");
    assertThat(refused("{\"a\": /* hi */ 1}")).endsWith("comments are not allowed");
    assertThat(refused("// hi\n{}")).isEqualTo("invalid JSON at line 1, column 1: comments are not allowed");
    assertThat(refused("{\"a\": 1} {\"b\": 2}")).endsWith("unexpected text after the JSON value");
    assertThat(refused("{\"a\": 1} x")).endsWith("unexpected text after the JSON value");
    assertThat(refused("{'a': 1}")).endsWith("not single quotes");
    assertThat(refused("{a: 1}")).startsWith("invalid JSON at line 1, column 2: ");
    assertThat(refused("{\"a\": 1,}")).endsWith("(a trailing comma?)");
    assertThat(refused("[1, 2,]")).endsWith("(a trailing comma?)");
    assertThat(refused("{\"a\": NaN}")).contains("NaN");
    assertThat(refused("{\"a\": 01}")).endsWith("malformed number");
    assertThat(refused("{\"a\": tru}")).contains("unknown word 'tru'");
    assertThat(refused("{\"a\": \"x\ny\"}")).endsWith("a control character in a string must be escaped");
    assertThat(refused("")).isEqualTo("invalid JSON: the text is empty: a JSON value is required");
    assertThat(refused("   \n")).isEqualTo("invalid JSON: the text is empty: a JSON value is required");
    assertThat(refused("{\"a\": [1, 2")).endsWith("the text ends before the JSON value is complete");
    assertThat(refused("[".repeat(5000) + "]".repeat(5000))).endsWith("nested deeper than 1000 levels");
  }

  @Test
  void positionsAreLinesAndColumnsFromOne() {
    try {
      StrictJson.parse("{\n  \"a\": 1,\n  \"a\": 2\n}");
      throw new AssertionError("accepted");
    } catch (JsonSyntaxException e) {
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.column()).isPositive();
      assertThat(e.reason()).isEqualTo("duplicate key \"a\"");
    }
  }

  @Test
  void numbersKeepTheirExactValue() {
    Map<String, Object> m = StrictJson.parseObject(
        "{\"i\": 1, \"l\": 10000000000, \"b\": 1e400, \"big\": 123456789012345678901234567890, \"f\": 0.1}");
    assertThat(m.get("i")).isEqualTo(1);
    assertThat(m.get("l")).isEqualTo(10_000_000_000L);
    assertThat(m.get("b")).isEqualTo(new BigDecimal("1e400"));
    assertThat(m.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(m.get("f")).isEqualTo(new BigDecimal("0.1"));
  }

  @Test
  void valuesBecomePlainJavaInOrder() {
    Object v = StrictJson.parse("{\"z\": [true, null, \"s\"], \"a\": {}}");
    assertThat(v).isEqualTo(Map.of("z", java.util.Arrays.asList(true, null, "s"), "a", Map.of()));
    assertThat(List.copyOf(((Map<?, ?>) v).keySet())).isEqualTo(List.of("z", "a"));
    assertThat(StrictJson.parse("[1]")).isEqualTo(List.of(1));
    assertThatThrownBy(() -> StrictJson.parseObject("[1]")).isInstanceOf(JsonSyntaxException.class)
        .hasMessage("invalid JSON: a JSON object is required, not an array");
  }
}
