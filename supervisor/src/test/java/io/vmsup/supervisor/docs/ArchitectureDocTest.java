package io.vmsup.supervisor.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/architecture.md} matches the code: every class it names in backticks exists in some module's
 * {@code src/main}, and it names every verticle and every event-bus address the supervisor registers.
 */
class ArchitectureDocTest {

  private static final Path ROOT = Path.of("..");
  private static final Path DOC = ROOT.resolve("docs/architecture.md");
  private static final Path SUPERVISOR = Path.of("src/main/java/io/vmsup/supervisor");
  /** A backticked name that is a type: CamelCase, optionally a member or a path before it. */
  private static final Pattern NAMED = Pattern.compile("`(?:[a-z/]+/)?([A-Z][A-Za-z0-9]*)(?:[.#][A-Za-z]+)?`");
  private static final Pattern ADDRESS = Pattern.compile("\"(vmsup\\.[a-z.]+)\"");

  private static String doc() throws IOException {
    return Files.readString(DOC);
  }

  private static Set<String> mainTypes() throws IOException {
    Set<String> types = new TreeSet<>();
    for (String module : List.of("config-model", "qmp-client", "client", "supervisor")) {
      try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
        files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java"))
            .map(n -> n.substring(0, n.length() - ".java".length())).forEach(types::add);
      }
    }
    return types;
  }

  private static List<Path> supervisorSources() throws IOException {
    try (Stream<Path> files = Files.walk(SUPERVISOR)) {
      return files.filter(p -> p.toString().endsWith(".java")).toList();
    }
  }

  @Test
  void everyClassItNamesExists() throws IOException {
    Set<String> types = mainTypes();
    Set<String> named = new TreeSet<>();
    Matcher m = NAMED.matcher(doc());
    while (m.find()) {
      named.add(m.group(1));
    }
    assertThat(named).as("classes named in docs/architecture.md").hasSizeGreaterThan(40);
    assertThat(named.stream().filter(n -> !types.contains(n)).toList())
        .as("named in docs/architecture.md but not a type of any src/main").isEmpty();
  }

  @Test
  void itNamesEveryVerticle() throws IOException {
    Set<String> verticles = new TreeSet<>();
    for (Path p : supervisorSources()) {
      if (Files.readString(p).matches("(?s).*\\bextends (VerticleBase|AbstractVerticle)\\b.*")) {
        String file = p.getFileName().toString();
        verticles.add(file.substring(0, file.length() - ".java".length()));
      }
    }
    assertThat(verticles).contains("RegistryVerticle", "VmActor", "ConsoleVerticle");
    String doc = doc();
    assertThat(verticles.stream().filter(v -> !doc.contains("`" + v + "`")).toList())
        .as("verticles missing from docs/architecture.md").isEmpty();
  }

  @Test
  void itNamesEveryBusAddress() throws IOException {
    Set<String> addresses = new TreeSet<>();
    for (Path p : List.of(SUPERVISOR.resolve("api/Addresses.java"), SUPERVISOR.resolve("vm/VmActor.java"))) {
      Matcher m = ADDRESS.matcher(Files.readString(p));
      while (m.find()) {
        addresses.add(m.group(1));
      }
    }
    assertThat(addresses).contains("vmsup.vm.create", "vmsup.events", "vmsup.internal.vm.");
    String doc = doc();
    // a prefix ("vmsup.console.") is named with its variable part ("vmsup.console.NAME")
    List<String> missing = addresses.stream().filter(a -> !doc.contains("`" + a + "`")
        && !(a.endsWith(".") && doc.contains("`" + a + "NAME`"))).collect(Collectors.toList());
    assertThat(missing).as("bus addresses missing from docs/architecture.md").isEmpty();
  }
}
