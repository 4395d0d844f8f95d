package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The golden cases under src/test/resources/argv and the examples under ../examples. */
final class GoldenCases {

  static final Path DIR = Path.of("src/test/resources/argv");
  static final Path EXAMPLES = Path.of("..", "examples");
  /** Every path in cases and examples that needs a host file lives below this prefix. */
  static final String DATA_PREFIX = "/var/lib/vmsup";

  private GoldenCases() {
  }

  static List<String> names() {
    return list(DIR);
  }

  static List<String> exampleNames() {
    return list(EXAMPLES);
  }

  private static List<String> list(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String json(Path dir, String name) {
    return read(dir.resolve(name + ".json"));
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static VmSpec valid(String json, String what) {
    SpecResult result = VmSpecs.parse(json);
    assertThat(result).as("%s must validate", what).isInstanceOf(SpecResult.Valid.class);
    return ((SpecResult.Valid) result).spec();
  }
}
