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

  /** Integers of up to 18 digits are read straight from the bytes: each edge has Vert.x's value and type. */
  @Test
  void integerEdgesHaveVertxsValuesAndTypes() {
    String json = "{\"n\": [0, -0, 7, -7, 2147483647, 2147483648, -2147483648, -2147483649, 999999999999999999,"
        + " -999999999999999999, 1000000000000000000, 9223372036854775807, -9223372036854775808, 9223372036854775808,"
        + " 12345678901234567, 1.0, 100e-2]}";
    assertSame(read(json), new JsonObject(json));
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
  void invalidUtf8IsRefusedAsJacksonRefusesItNeverTurnedIntoReplacementCharacters() {
    int[][] hostile = {
        {0x80}, {0xBF}, {0xC3}, {0xE2, 0x82}, {0xF0, 0x9F, 0x98}, {0xFE}, {0xFF},
        {0xC3, 0x28}, {0xE2, 0x28, 0xA1}, {0xF0, 0x28, 0x8C, 0xBC}, {0xC3, 0xA9, 0xA9},
    };
    for (int[] bad : hostile) {
      for (byte[] doc : new byte[][] {document("{\"a\": \"x", bad, "y\"}"), document("{\"k", bad, "\": 1}"),
          document("{\"a\": [\"\\n", bad, "\"]}")}) {
        String as = new String(doc, StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> JsonReader.object(doc, 0, doc.length)).as(as).isInstanceOf(QmpProtocolException.class)
            .hasMessageContaining("invalid UTF-8");
        assertThatThrownBy(() -> new JsonObject(Buffer.buffer(doc))).as(as).isInstanceOf(DecodeException.class);
      }
    }
  }

  /** Jackson lets these through (an overlong {@code C0 80} becomes a NUL, {@code E0 80 AF} a '/'); we do not. */
  @Test
  void overlongFormsSurrogatesAndCodePointsPastTheLastAreRefusedAsTheJdkDecoderRefusesThem() {
    int[][] hostile = {
        {0xC0, 0x80}, {0xC1, 0xBF}, {0xE0, 0x80, 0xAF}, {0xE0, 0x9F, 0xBF}, {0xF0, 0x8F, 0xBF, 0xBF},
        {0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF}, {0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80}, {0xF4, 0x90, 0x80, 0x80},
        {0xF5, 0x80, 0x80, 0x80},
    };
    for (int[] bad : hostile) {
      byte[] doc = document("{\"a\": \"", bad, "\"}");

      assertThatThrownBy(() -> JsonReader.object(doc, 0, doc.length)).isInstanceOf(QmpProtocolException.class)
          .hasMessageContaining("invalid UTF-8");
      assertThat(strictUtf8(java.util.Arrays.copyOfRange(doc, 7, doc.length - 2))).isNull();
    }
  }

  @Test
  void randomBytesInAStringAreAcceptedExactlyWhenTheyAreUtf8AndDecodeToTheSameText() {
    Random r = new Random(15);
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] text = new byte[1 + r.nextInt(6)];
      for (int j = 0; j < text.length; j++) {
        int v;
        do {
          v = r.nextInt(3) == 0 ? 'a' + r.nextInt(26) : 0x80 + r.nextInt(0x80);
        } while (v == '"' || v == '\\');
        text[j] = (byte) v;
      }
      byte[] doc = document("{\"a\": \"", toInts(text), "\"}");
      String expected = strictUtf8(text);
      if (expected == null) {
        assertThatThrownBy(() -> JsonReader.object(doc, 0, doc.length)).isInstanceOf(QmpProtocolException.class);
      } else {
        accepted++;
        assertThat(JsonReader.object(doc, 0, doc.length).getString("a")).isEqualTo(expected);
      }
    }
    assertThat(accepted).as("valid sequences among the random ones").isGreaterThan(500);
  }

  private static byte[] document(String before, int[] bytes, String after) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    for (int v : bytes) {
      out.write(v);
    }
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static int[] toInts(byte[] b) {
    int[] v = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      v[i] = b[i] & 0xFF;
    }
    return v;
  }

  /** The JDK's own strict decoder (RFC 3629), or null where it refuses the bytes. */
  private static String strictUtf8(byte[] b) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
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
