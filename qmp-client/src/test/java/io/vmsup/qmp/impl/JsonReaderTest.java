package io.vmsup.qmp.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpProtocolException;
import io.vmsup.qmp.testing.Fuzz;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonReader} against Vert.x's own (Jackson) decoder: the same values of the same Java types for generated
 * documents and for QEMU's real shapes, and a clean {@link QmpProtocolException} wherever Jackson refuses the input.
 */
class JsonReaderTest {

  private static JsonObject read(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return JsonReader.object(b, 0, b.length);
  }

  /** Equal values and, member by member, equal Java types (Integer stays Integer, Long stays Long). */
  private static void assertSame(Object ours, Object vertx) {
    if (vertx instanceof JsonObject vo) {
      JsonObject oo = (JsonObject) ours;
      assertThat(oo.fieldNames()).containsExactlyElementsOf(vo.fieldNames());
      for (String k : vo.fieldNames()) {
        assertSame(oo.getValue(k), vo.getValue(k));
      }
    } else if (vertx instanceof JsonArray va) {
      JsonArray oa = (JsonArray) ours;
      assertThat(oa.size()).isEqualTo(va.size());
      for (int i = 0; i < va.size(); i++) {
        assertSame(oa.getValue(i), va.getValue(i));
      }
    } else {
      assertThat(ours).isEqualTo(vertx);
      if (vertx != null) {
        assertThat(ours).hasSameClassAs(vertx);
      }
    }
  }

  @Test
  void qemuShapesDecodeAsVertxDecodesThem() {
    for (String json : new String[] {
        "{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}, \"id\": 12}",
        "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian\"},"
            + " \"capabilities\": [\"oob\"]}}",
        "{\"timestamp\": {\"seconds\": 1733470000, \"microseconds\": 123456}, \"event\": \"STOP\"}",
        "{\"id\": 3, \"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'x' is \\\"bad\\\"\\n\"}}",
        "{\"return\": {\"actual\": 4294967296, \"big\": 18446744073709551615, \"neg\": -9223372036854775808,"
            + " \"f\": -1.5e-3, \"z\": -0, \"e\": 1E+2, \"u\": \"\\u00e9\\ud83d\\ude00 caf\u00e9 \\/\", \"n\": null}}",
        "{\"a\": 1, \"a\": 2}", "{}", "{\"x\": [[], {}, [1, [2, [3]]]]}",
    }) {
      assertSame(read(json), new JsonObject(json));
    }
  }

  @Test
  void generatedDocumentsDecodeAsVertxDecodesThem() {
    Fuzz.forAll(2_000, r -> object(r, 0), json -> assertSame(read(json), new JsonObject(json)));
  }

  @Test
  void whateverJacksonRefusesIsAProtocolErrorHere() {
    for (String bad : new String[] {
        "{", "{\"a\"}", "{\"a\": }", "{\"a\": 01}", "{\"a\": 1.}", "{\"a\": -}", "{\"a\": .5}", "{\"a\": 1e}",
        "{\"a\": tru}", "{\"a\": nul}", "{\"a\": \"x}", "{\"a\": \"\\x\"}", "{\"a\": \"\\u12\"}", "{\"a\": [1,]}",
        "{\"a\": 1,}", "{a: 1}", "{\"a\": 1} x", "[1]", "\"s\"", "{\"a\": \"tab\there\"}", "{\"a\": NaN}",
    }) {
      assertThatThrownBy(() -> read(bad)).as(bad).isInstanceOf(QmpProtocolException.class);
      assertThatThrownBy(() -> new JsonObject(bad)).as(bad).isInstanceOfAny(DecodeException.class,
          ClassCastException.class);
    }
  }

  @Test
  void hostileDepthAndNumberLengthAreRefusedNotOverflowed() {
    String deep = "{\"a\": " + "[".repeat(200_000) + "]".repeat(200_000) + "}";
    String longNumber = "{\"a\": " + "9".repeat(100_000) + "}";

    assertThatThrownBy(() -> read(deep)).isInstanceOf(QmpProtocolException.class).hasMessageContaining("nested");
    assertThatThrownBy(() -> read(longNumber)).isInstanceOf(QmpProtocolException.class)
        .hasMessageContaining("number longer");
    assertThat(read("{\"a\": " + "[".repeat(998) + "]".repeat(998) + "}")).isNotNull();
    assertThat(read("{\"a\": " + "9".repeat(1000) + "}").getValue("a")).isEqualTo(new BigInteger("9".repeat(1000)));
  }

  @Test
  void theFrameRangeIsAllThatIsRead() {
    byte[] b = "xx{\"a\": 1}yy".getBytes(StandardCharsets.UTF_8);

    assertThat(JsonReader.object(b, 2, 10)).isEqualTo(new JsonObject().put("a", 1));
    assertThat(MessageDecoder.decode(Buffer.buffer("{\"return\": {}, \"id\": 7}"))).isInstanceOf(ServerMessage.Return.class);
  }

  private static String object(Random r, int depth) {
    StringBuilder sb = new StringBuilder("{");
    int n = r.nextInt(depth > 3 ? 2 : 5);
    for (int i = 0; i < n; i++) {
      sb.append(i > 0 ? "," : "").append(space(r)).append(string(r)).append(space(r)).append(':').append(space(r))
          .append(value(r, depth + 1)).append(space(r));
    }
    return sb.append('}').toString();
  }

  private static String value(Random r, int depth) {
    switch (r.nextInt(depth > 4 ? 6 : 8)) {
      case 0: return string(r);
      case 1: return Long.toString(r.nextInt(5) == 0 ? r.nextLong() : r.nextInt(2000) - 1000);
      case 2: return (r.nextBoolean() ? "-" : "") + r.nextInt(1000) + "." + r.nextInt(1000)
          + (r.nextBoolean() ? "e" + (r.nextInt(40) - 20) : "");
      case 3: return new BigInteger(70 + r.nextInt(60), r).toString();
      case 4: return r.nextBoolean() ? "true" : "false";
      case 5: return "null";
      case 6: return object(r, depth);
      default:
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0, n = r.nextInt(4); i < n; i++) {
          sb.append(i > 0 ? "," : "").append(space(r)).append(value(r, depth + 1));
        }
        return sb.append(']').toString();
    }
  }

  private static String string(Random r) {
    String[] parts = {"a", "query-status", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u0041", "\\ud83d\\ude00", "\u00e9",
        "\u4e2d", "\ud83d\ude00", " ", "{", "}", "[", ",", ":"};
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0, n = r.nextInt(6); i < n; i++) {
      sb.append(parts[r.nextInt(parts.length)]);
    }
    return sb.append('"').toString();
  }

  private static String space(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> " ";
      case 1 -> "\r\n";
      case 2 -> "\t";
      default -> "";
    };
  }
}
