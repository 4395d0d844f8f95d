package io.vmsup.supervisor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state directory's format: a new directory gets the current one, an older one is upgraded in place keeping a
 * copy, a newer or unreadable one is refused; a step that hits a full disk (a real tmpfs) or crashes in the middle
 * loses nothing, and the next start finishes the upgrade exactly once.
 */
class StateFormatTest {

  @TempDir
  Path dir;
  private final List<String> log = new ArrayList<>();

  /** 2 → 3 for tests: appends " upgraded" to the spec of every VM, one file after the other. */
  private static class AppendStep implements FormatStep {
    @Override
    public int from() {
      return 2;
    }

    @Override
    public String describe() {
      return "mark every spec";
    }

    @Override
    public List<Path> touches(Path root) throws IOException {
      try (var vms = Files.list(root.resolve("vms"))) {
        return vms.sorted().map(vm -> root.relativize(vm.resolve("spec.json"))).toList();
      }
    }

    @Override
    public void apply(Path root) throws IOException {
      for (Path rel : touches(root)) {
        Path spec = root.resolve(rel);
        AtomicFiles.write(spec, (Files.readString(spec) + " " + payload(rel)).getBytes(StandardCharsets.UTF_8));
        afterWrite(rel);
      }
    }

    String payload(Path rel) {
      return "upgraded";
    }

    void afterWrite(Path rel) {
    }
  }

  /** What a kill of the process at that instant leaves: nothing runs after it (no rollback). */
  private static final class Crash extends Error {
  }

  private void vm(Path root, String name, String spec) throws IOException {
    Files.createDirectories(root.resolve("vms").resolve(name));
    Files.writeString(root.resolve("vms").resolve(name).resolve("spec.json"), spec);
  }

  private static String spec(Path root, String name) throws IOException {
    return Files.readString(root.resolve("vms").resolve(name).resolve("spec.json"));
  }

  private int upgrade(Path root, FormatStep extra) throws IOException {
    List<FormatStep> steps = new ArrayList<>(StateFormat.steps());
    steps.add(extra);
    return StateFormat.upgrade(root, steps, 3, log::add);
  }

  @BeforeEach
  void layoutOfFormatOne() throws IOException {
    vm(dir, "a", "{\"name\": \"a\"}");
    vm(dir, "b", "{\"name\": \"b\"}");
  }

  @Test
  void aNewDirectoryGetsTheCurrentFormat() throws IOException {
    Path fresh = dir.resolve("fresh");
    assertThat(StateFormat.upgrade(fresh, StateFormat.steps(), StateFormat.CURRENT, log::add)).isZero();
    assertThat(StateFormat.read(fresh)).isEqualTo(StateFormat.CURRENT);
    assertThat(log).isEmpty();
  }

  @Test
  void formatOneIsUpgradedInPlaceAndKeepsItsVms() throws IOException {
    assertThat(StateFormat.upgrade(dir, StateFormat.steps(), StateFormat.CURRENT, log::add)).isEqualTo(1);
    assertThat(StateFormat.read(dir)).isEqualTo(2);
    assertThat(spec(dir, "a")).isEqualTo("{\"name\": \"a\"}");
    assertThat(dir.resolve("format-backups/format-1/manifest.json")).exists();
    assertThat(dir.resolve(FormatJournal.JOURNAL)).doesNotExist();
    // a second start has nothing to do
    assertThat(StateFormat.upgrade(dir, StateFormat.steps(), StateFormat.CURRENT, log::add)).isEqualTo(2);
  }

  @Test
  void aNewerFormatIsRefusedNamingBothVersionsAndNothingChanges() throws IOException {
    Files.writeString(dir.resolve("format.json"), "{\"format\": 3}");
    assertThatThrownBy(() -> StateFormat.upgrade(dir, StateFormat.steps(), StateFormat.CURRENT, log::add))
        .isInstanceOf(StateFormatException.class)
        .hasMessageContaining("has format 3, written by a newer vmsup")
        .hasMessageContaining("reads formats 1 to 2");
    assertThat(Files.readString(dir.resolve("format.json"))).isEqualTo("{\"format\": 3}");
  }

  @Test
  void hostileFormatRecordsAreRefusedWithTheFileNamed() throws IOException {
    for (String bad : List.of("{\"format\": \"2\"}", "{\"format\": 0}", "[2]", "", "{\"format\": 2.5}",
        "{\"format\": 99999999999999999999}")) {
      Files.writeString(dir.resolve("format.json"), bad);
      assertThatThrownBy(() -> StateFormat.upgrade(dir, StateFormat.steps(), StateFormat.CURRENT, log::add))
          .as(bad).isInstanceOf(StateFormatException.class).hasMessageContaining("format.json");
      assertThat(Files.readString(dir.resolve("format.json"))).isEqualTo(bad);
    }
  }

  @Test
  void aFullDiskInTheMiddlePutsEveryFileBack() throws Exception {
    Path small = dir.resolve("small");
    Files.createDirectories(small);
    assertThat(sh("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", small.toString())).isZero();
    try {
      vm(small, "a", "{\"name\": \"a\"}");
      vm(small, "b", "{\"name\": \"b\"}");
      StateFormat.upgrade(small, StateFormat.steps(), 2, log::add);
      AppendStep big = new AppendStep() {
        @Override
        String payload(Path rel) {
          // b's new spec does not fit: the disk fills after a's was written
          return rel.toString().contains("/b/") ? "x".repeat(512 * 1024) : "upgraded";
        }
      };
      assertThatThrownBy(() -> upgrade(small, big)).isInstanceOf(StateFormatException.class)
          .hasMessageContaining("No space left on device")
          .hasMessageContaining("as before (format 2)");
      assertThat(spec(small, "a")).isEqualTo("{\"name\": \"a\"}");
      assertThat(spec(small, "b")).isEqualTo("{\"name\": \"b\"}");
      assertThat(StateFormat.read(small)).isEqualTo(2);
      assertThat(small.resolve(FormatJournal.JOURNAL)).doesNotExist();

      upgrade(small, new AppendStep());
      assertThat(spec(small, "b")).isEqualTo("{\"name\": \"b\"} upgraded");
      assertThat(StateFormat.read(small)).isEqualTo(3);
    } finally {
      sh("umount", small.toString());
    }
  }

  @Test
  void aCrashAfterSomeFilesIsUndoneAndTheNextStartUpgradesEachFileOnce() throws IOException {
    StateFormat.upgrade(dir, StateFormat.steps(), 2, log::add);
    AppendStep crashing = new AppendStep() {
      @Override
      void afterWrite(Path rel) {
        throw new Crash();
      }
    };
    assertThatThrownBy(() -> upgrade(dir, crashing)).isInstanceOf(Crash.class);
    assertThat(spec(dir, "a")).as("half done").isEqualTo("{\"name\": \"a\"} upgraded");
    assertThat(dir.resolve(FormatJournal.JOURNAL)).exists();

    assertThat(upgrade(dir, new AppendStep())).isEqualTo(2);
    assertThat(spec(dir, "a")).isEqualTo("{\"name\": \"a\"} upgraded");
    assertThat(spec(dir, "b")).isEqualTo("{\"name\": \"b\"} upgraded");
    assertThat(StateFormat.read(dir)).isEqualTo(3);
    assertThat(log).anyMatch(l -> l.contains("was interrupted; 2 files put back"));
    assertThat(dir.resolve(FormatJournal.JOURNAL)).doesNotExist();
  }

  @Test
  void aCrashBeforeTheCopyWasCompleteChangedNothing() throws IOException {
    StateFormat.upgrade(dir, StateFormat.steps(), 2, log::add);
    AppendStep crashing = new AppendStep() {
      @Override
      public List<Path> touches(Path root) {
        throw new Crash();
      }
    };
    assertThatThrownBy(() -> upgrade(dir, crashing)).isInstanceOf(Crash.class);
    assertThat(upgrade(dir, new AppendStep())).isEqualTo(2);
    assertThat(log).anyMatch(l -> l.contains("before it changed anything"));
    assertThat(spec(dir, "a")).isEqualTo("{\"name\": \"a\"} upgraded");
  }

  @Test
  void aCrashAfterTheNewFormatWasWrittenOnlyDropsTheJournal() throws IOException {
    Files.writeString(dir.resolve("format.json"), "{\"format\": 3}");
    Files.writeString(dir.resolve(FormatJournal.JOURNAL), "{\"from\": 2, \"to\": 3, \"backup\": \"format-backups/format-2\"}");
    assertThat(upgrade(dir, new AppendStep())).isEqualTo(3);
    assertThat(spec(dir, "a")).isEqualTo("{\"name\": \"a\"}");
    assertThat(dir.resolve(FormatJournal.JOURNAL)).doesNotExist();
  }

  private static int sh(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }
}
