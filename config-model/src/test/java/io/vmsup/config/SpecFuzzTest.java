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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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

  @Provide
  Arbitrary<Object> hostile() {
    return Arbitraries.of(-1, 0, 1, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
        new BigInteger("123456789012345678901234567890"), new BigDecimal("1e400"), new BigDecimal("1.5"),
        new BigDecimal("-0.0"), "", " ", "a,b", "x".repeat(5000), "\u0000", "\n", "../../etc/shadow", "/", "é",
        "512M", "-1", "1e400", "nan", true, false, List.of(), List.of(1, "a"), Map.of(), Map.of("x", 1)).asGeneric();
  }

  @Property(tries = 400)
  void aGoldenSpecWithOneHostileValueNeverBreaksTheParser(@ForAll("specIndex") int spec, @ForAll int where,
      @ForAll("hostile") Object value, @ForAll("edit") int edit) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = (Map<String, Object>) StrictJson.parse(GOLDEN.get(spec));
    List<Slot> slots = new ArrayList<>();
    collect(tree, slots);
    Slot slot = slots.get(Math.floorMod(where, slots.size()));
    switch (edit) {
      case 0 -> slot.set(value);
      case 1 -> slot.remove();
      default -> slot.parent().put("unknownField" + edit, value);
    }
    check(JSON.writeValueAsString(tree));
  }

  @Property(tries = 400)
  void arbitraryTextEditsOfAGoldenSpecNeverBreakTheParser(@ForAll("specIndex") int spec, @ForAll int at,
      @ForAll("junk") String junk, @ForAll("edit") int cut) {
    String text = GOLDEN.get(spec);
    int i = Math.floorMod(at, text.length() + 1);
    int end = Math.min(text.length(), i + cut);
    check(text.substring(0, i) + junk + text.substring(end));
  }

  @Provide
  Arbitrary<Integer> specIndex() {
    return Arbitraries.integers().between(0, GOLDEN.size() - 1);
  }

  @Provide
  Arbitrary<Integer> edit() {
    return Arbitraries.integers().between(0, 3);
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.strings().withChars("{}[]\":,0123456789.-eE \n/*'\\ux\u0000é").ofMaxLength(8);
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
