package io.vmsup.supervisor.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house rule "files of 300 lines or fewer in {@code src/main}" (issue 11's acceptance), checked over every module's
 * main Java sources, so a file that grows past it fails the build instead of waiting for a review.
 */
class SourceSizeTest {

  private static final Path ROOT = Path.of("..");
  private static final int LIMIT = 300;
  private static final List<String> MODULES = List.of("config-model", "qmp-client", "client", "supervisor");

  @Test
  void noMainSourceFileIsLongerThan300Lines() throws IOException {
    List<String> tooLong = new ArrayList<>();
    int files = 0;
    for (String module : MODULES) {
      Path main = ROOT.resolve(module).resolve("src/main/java");
      assertThat(main).as("sources of " + module).isDirectory();
      try (Stream<Path> all = Files.walk(main)) {
        for (Path p : all.filter(f -> f.toString().endsWith(".java")).toList()) {
          files++;
          long lines = Files.readAllLines(p).size();
          if (lines > LIMIT) {
            tooLong.add(ROOT.relativize(p) + ": " + lines + " lines");
          }
        }
      }
    }
    assertThat(files).as("main source files found").isGreaterThan(300);
    assertThat(tooLong).as("src/main files over " + LIMIT + " lines (split them by responsibility)").isEmpty();
  }
}
