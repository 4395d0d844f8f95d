package io.vmsup.config.impl;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vmsup.config.JsonSyntaxException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Jackson configured strictly, and its errors in plain words. */
public final class StrictJsonParser {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .build();
  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");
  private static final Pattern CHARACTER = Pattern.compile("Unexpected character \\('(.+?)' \\(code (\\d+)\\)\\)");
  private static final Pattern TOKEN = Pattern.compile("Unrecognized token '(.*?)'");

  private StrictJsonParser() {
  }

  /** @throws JsonSyntaxException in plain words */
  public static JsonNode readTree(String text) {
    if (text == null || text.isBlank()) {
      throw new JsonSyntaxException(0, 0, "the text is empty: a JSON value is required");
    }
    try (JsonParser parser = MAPPER.createParser(text)) {
      JsonNode node;
      try {
        node = MAPPER.readTree(parser);
      } catch (JsonProcessingException e) {
        throw syntax(e.getLocation(), plain(e));
      }
      if (node == null || node.isMissingNode()) {
        throw new JsonSyntaxException(0, 0, "the text is empty: a JSON value is required");
      }
      // whatever follows the value, even text that is no JSON token at all, is the same mistake
      try {
        if (parser.nextToken() != null) {
          throw syntax(parser.currentTokenLocation(), "unexpected text after the JSON value");
        }
      } catch (JsonProcessingException e) {
        throw syntax(e.getLocation(), "unexpected text after the JSON value");
      }
      return node;
    } catch (IOException e) {
      throw new JsonSyntaxException(0, 0, "malformed JSON");
    }
  }

  private static JsonSyntaxException syntax(JsonLocation loc, String reason) {
    int line = loc == null ? 0 : Math.max(loc.getLineNr(), 0);
    int column = loc == null ? 0 : Math.max(loc.getColumnNr(), 0);
    return new JsonSyntaxException(line, column, reason);
  }

  static String plain(JsonProcessingException e) {
    String m = String.valueOf(e.getOriginalMessage());
    Matcher dup = DUPLICATE.matcher(m);
    if (dup.find()) {
      return "duplicate key \"" + dup.group(1) + "\"";
    }
    if (e instanceof JsonEOFException || m.contains("end-of-input")) {
      return "the text ends before the JSON value is complete";
    }
    if (m.contains("Trailing token")) {
      return "unexpected text after the JSON value";
    }
    if (m.contains("nesting depth")) {
      return "nested deeper than 1000 levels";
    }
    if (m.contains("Number value length") || m.contains("String value length")) {
      return "a number or string is too long";
    }
    if (m.contains("Non-standard token") || m.contains("NaN") || m.contains("Infinity")) {
      return "NaN and Infinity are not JSON numbers";
    }
    if (m.contains("Leading zeroes") || m.contains("Invalid numeric value")) {
      return "malformed number";
    }
    Matcher ch = CHARACTER.matcher(m);
    if (ch.find()) {
      return character(ch.group(1), Integer.parseInt(ch.group(2)));
    }
    Matcher tok = TOKEN.matcher(m);
    if (tok.find()) {
      return "unknown word '" + tok.group(1) + "' (strings need double quotes; literals are true, false, null)";
    }
    if (m.contains("control character") || m.contains("CTRL-CHAR")) {
      return "a control character in a string must be escaped";
    }
    if (m.contains("Unrecognized character escape")) {
      return "invalid escape in a string";
    }
    return "malformed JSON";
  }

  private static String character(String c, int code) {
    return switch (code) {
      case '/', '#' -> "comments are not allowed";
      case '\'' -> "strings and names need double quotes, not single quotes";
      case '}', ']' -> "unexpected '" + c + "' (a trailing comma?)";
      default -> code < 0x20 ? "unexpected control character U+%04X".formatted(code)
          : "unexpected character '" + c + "'";
    };
  }

  /** A tree as plain Java values (see {@code StrictJson.parse}). */
  public static Object toJava(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          map.put(e.getKey(), toJava(e.getValue()));
        }
        yield map;
      }
      case ARRAY -> {
        List<Object> list = new ArrayList<>(node.size());
        node.forEach(n -> list.add(toJava(n)));
        yield list;
      }
      case STRING -> node.textValue();
      case BOOLEAN -> node.booleanValue();
      case NUMBER -> node.numberValue();
      default -> null;
    };
  }

  /** "an array", "a string"... for messages. */
  public static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof List<?>) {
      return "an array";
    }
    if (value instanceof Map<?, ?>) {
      return "an object";
    }
    return value instanceof String ? "a string" : value instanceof Boolean ? "a boolean" : "a number";
  }
}
