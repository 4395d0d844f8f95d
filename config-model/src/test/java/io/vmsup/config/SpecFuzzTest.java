package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import io.vmsup.qmp.testing.Fuzz;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property-based fuzzing of the spec parser and validator, bounded by tries: golden specs with one value replaced by
 * a hostile one, a key dropped or an unknown key added, and arbitrary text edits. The parser never throws; it
 * answers valid (then the spec renders) or invalid with at least one violation, each with a path and a message.
 */
class SpecFuzzTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> GOLDEN = golden();

  private static List<String> golden() {
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/argv"))) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().map(p -> {
        try {
          return Files.readString(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final List<Object> HOSTILE = List.of(-1, 0, 1, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
      new BigInteger("123456789012345678901234567890"), new BigDecimal("1e400"), new BigDecimal("1.5"),
      new BigDecimal("-0.0"), "", " ", "a,b", "x".repeat(5000), "\u0000", "\n", "../../etc/shadow", "/", "é",
      "512M", "-1", "1e400", "nan", true, false, List.of(), List.of(1, "a"), Map.of(), Map.of("x", 1));
  private static final String JUNK = "{}[]\":,0123456789.-eE \n/*'\\ux\u0000é";

  @Test
  void aGoldenSpecWithOneHostileValueNeverBreaksTheParser() {
    Fuzz.forAll(400, SpecFuzzTest::withHostileValue, Fuzz::shrinkString, SpecFuzzTest::check);
  }

  @Test
  void arbitraryTextEditsOfAGoldenSpecNeverBreakTheParser() {
    Fuzz.forAll(400, random -> {
      String text = GOLDEN.get(random.nextInt(GOLDEN.size()));
      int i = random.nextInt(text.length() + 1);
      int end = Math.min(text.length(), i + random.nextInt(4));
      return text.substring(0, i) + Fuzz.string(random, JUNK, 8) + text.substring(end);
    }, Fuzz::shrinkString, SpecFuzzTest::check);
  }

  /** Regression (found by the fuzzing above): backend sizes that overflow a long when summed crashed validation. */
  @Test
  void memoryBackendSizesThatOverflowALongAreAViolationNotACrash() {
    SpecResult result = VmSpecs.parse("{\"name\":\"d\",\"memory\":{\"size\":\"256M\",\"slots\":2,\"max\":\"1G\"},"
        + "\"devices\":[{\"kind\":\"memory-backend\",\"id\":\"m\",\"size\":9223372036854775807},"
        + "{\"kind\":\"dimm\",\"id\":\"d0\",\"memdev\":\"m\"}]}");
    assertThat(result).isInstanceOf(SpecResult.Invalid.class);
    assertThat(((SpecResult.Invalid) result).violations()).extracting(Violation::path).contains("memory.max");
  }

  /** A golden spec with one value replaced by a hostile one, one key dropped, or an unknown key added. */
  private static String withHostileValue(Random random) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> tree = (Map<String, Object>) StrictJson.parse(GOLDEN.get(random.nextInt(GOLDEN.size())));
      List<Slot> slots = new ArrayList<>();
      collect(tree, slots);
      Slot slot = slots.get(random.nextInt(slots.size()));
      Object value = Fuzz.oneOf(random, HOSTILE);
      int edit = random.nextInt(4);
      switch (edit) {
        case 0 -> slot.set(value);
        case 1 -> slot.remove();
        default -> slot.parent().put("unknownField" + edit, value);
      }
      return JSON.writeValueAsString(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void check(String text) {
    SpecResult result = VmSpecs.parse(text);
    if (result instanceof SpecResult.Invalid invalid) {
      assertThat(invalid.violations()).isNotEmpty();
      for (Violation v : invalid.violations()) {
        assertThat(v.path()).isNotNull();
        assertThat(v.message()).isNotBlank().doesNotContain("Exception").doesNotContain("jackson");
      }
    } else {
      VmSpec spec = ((SpecResult.Valid) result).spec();
      assertThat(QemuArgv.render(spec, GoldenArgvTest.CONTEXT)).isNotEmpty();
    }
  }

  /** A place in the tree: a key of an object (or an element of an array, by index). */
  record Slot(Map<String, Object> parent, String key, List<Object> list, int index) {
    void set(Object value) {
      if (list != null) {
        list.set(index, value);
      } else {
        parent.put(key, value);
      }
    }

    void remove() {
      if (list != null) {
        list.remove(index);
      } else {
        parent.remove(key);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void collect(Object node, List<Slot> out) {
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> map = (Map<String, Object>) m;
      for (String k : new ArrayList<>(map.keySet())) {
        out.add(new Slot(map, k, null, -1));
        collect(map.get(k), out);
      }
    } else if (node instanceof List<?> l) {
      List<Object> list = (List<Object>) l;
      for (int i = 0; i < list.size(); i++) {
        out.add(new Slot(new LinkedHashMap<>(), null, list, i));
        collect(list.get(i), out);
      }
    }
  }
}
