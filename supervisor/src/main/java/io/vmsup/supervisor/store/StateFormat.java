package io.vmsup.supervisor.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The state directory's format version, in {@code <state>/format.json} ({@code {"format": N}}). A directory without it
 * is format 1 (the layout before versions were recorded) when it holds anything, else new (it gets the current
 * format). At start a daemon upgrades an older format in place, one {@link FormatStep} at a time, and refuses a newer
 * one ({@link StateFormatException}, naming both versions). Each step is journalled: {@code upgrade.json} names the
 * step and its copy, {@code format-backups/format-N/} holds every file the step touches as it was (written in full, then
 * renamed into place); then the step runs, {@code format.json} is written, the journal removed. The copy stays. An
 * I/O error in a step puts the copy back at once and fails the start; after a crash, the next start finds the
 * journal, puts the copy back (when it was complete; else nothing had changed) and runs the step again. Blocking.
 */
public final class StateFormat {

  /** The format this daemon writes. */
  public static final int CURRENT = 2;
  /** The oldest format this daemon upgrades. */
  public static final int OLDEST = 1;
  static final String FILE = "format.json";

  private StateFormat() {
  }

  /** The steps of this daemon: 1 → 2 records the format (the layout of 1 is unchanged). */
  public static List<FormatStep> steps() {
    return List.of(new RecordFormat());
  }

  /**
   * Brings {@code stateDir} to {@link #CURRENT}: see the class comment.
   *
   * @param log receives one line per step run or resumed
   * @return the format found before any upgrade (0 for a new directory)
   * @throws StateFormatException for a newer format, an unreadable {@code format.json}, or a failed step
   */
  public static int upgrade(Path stateDir, List<FormatStep> steps, int current, Consumer<String> log)
      throws IOException {
    Path root = stateDir.toAbsolutePath().normalize();
    AtomicFiles.ensureDir(root);
    FormatJournal.resume(root, steps, log);
    int found = read(root);
    if (found > current) {
      throw new StateFormatException("state directory " + root + " has format " + found + ", written by a newer"
          + " vmsup; this vmsup reads formats " + OLDEST + " to " + current + ". Run a vmsup that knows format "
          + found + ", or restore the copy an upgrade left in " + FormatJournal.backupDir(root, found - 1));
    }
    if (found == 0) {
      write(root, current);
      return 0;
    }
    for (int v = found; v < current; v++) {
      FormatStep step = stepFrom(steps, v);
      log.accept("state directory " + root + ": upgrading format " + v + " to " + (v + 1) + ": " + step.describe());
      FormatJournal.run(root, step, log);
    }
    return found;
  }

  /** The format of a state directory: {@code format.json}, else 1 when it holds anything, else 0 (new). */
  public static int read(Path stateDir) throws IOException {
    Path file = stateDir.resolve(FILE);
    if (!Files.exists(file)) {
      try (Stream<Path> entries = Files.list(stateDir)) {
        return entries.anyMatch(p -> !p.getFileName().toString().startsWith(".")) ? OLDEST : 0;
      }
    }
    Object format;
    try {
      format = new JsonObject(Files.readString(file, StandardCharsets.UTF_8)).getValue("format");
    } catch (RuntimeException e) {
      throw new StateFormatException(file + " is not a format record {\"format\": N}: " + e.getMessage());
    }
    if (!(format instanceof Integer n) || n < OLDEST) {
      throw new StateFormatException(file + ": \"format\" must be an integer >= " + OLDEST + ", not " + format);
    }
    return n;
  }

  static void write(Path root, int format) throws IOException {
    AtomicFiles.write(root.resolve(FILE), new JsonObject().put("format", format)
        .put("note", "layout version of this vmsup state directory; see docs/operations.md")
        .encodePrettily().getBytes(StandardCharsets.UTF_8));
  }

  static FormatStep stepFrom(List<FormatStep> steps, int from) {
    return steps.stream().filter(s -> s.from() == from).findFirst().orElseThrow(() -> new StateFormatException(
        "no upgrade from state format " + from + " (known: " + new JsonArray(steps.stream().map(FormatStep::from)
            .toList()) + ")"));
  }

  /** 1 → 2: the layout is unchanged; format 2 is the first with a {@code format.json}. */
  private static final class RecordFormat implements FormatStep {
    @Override
    public int from() {
      return 1;
    }

    @Override
    public String describe() {
      return "record the format (no file changes)";
    }

    @Override
    public List<Path> touches(Path stateDir) {
      return List.of();
    }

    @Override
    public void apply(Path stateDir) {
      // nothing besides format.json, which every step's end writes
    }
  }
}
