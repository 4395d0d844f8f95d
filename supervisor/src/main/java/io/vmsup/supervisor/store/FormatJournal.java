package io.vmsup.supervisor.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs one {@link FormatStep} so that an I/O error or a crash at any instant loses nothing (see {@link StateFormat}):
 * journal, complete copy, step, new format, journal removed. Blocking.
 */
final class FormatJournal {

  static final String JOURNAL = "upgrade.json";
  private static final String MANIFEST = "manifest.json";

  private FormatJournal() {
  }

  /** Where the copies of every upgrade are kept, one directory per format upgraded from. */
  static final String BACKUPS = "format-backups";

  static Path backupDir(Path root, int from) {
    return root.resolve(BACKUPS).resolve("format-" + from);
  }

  static void run(Path root, FormatStep step, Consumer<String> log) throws IOException {
    int from = step.from();
    Path backup = backupDir(root, from);
    if (Files.exists(backup)) {
      // a copy from an earlier upgrade of the same format (the directory was put back since): keep it, aside
      Files.move(backup, backup.resolveSibling(backup.getFileName() + "." + System.currentTimeMillis()));
    }
    AtomicFiles.write(root.resolve(JOURNAL), new JsonObject().put("from", from).put("to", from + 1)
        .put("backup", root.relativize(backup).toString()).encodePrettily().getBytes(StandardCharsets.UTF_8));
    copy(root, step.touches(root), backup);
    try {
      step.apply(root);
      StateFormat.write(root, from + 1);
    } catch (IOException | RuntimeException e) {
      String undo;
      try {
        restore(root, backup);
        AtomicFiles.delete(root.resolve(JOURNAL));
        undo = "the state directory is as before (format " + from + ")";
      } catch (IOException | RuntimeException again) {
        undo = "putting the copy back failed too (" + AtomicFiles.reason(again) + "): the next start retries";
      }
      throw new StateFormatException("upgrade of state directory " + root + " from format " + from + " to "
          + (from + 1) + " (" + step.describe() + ") failed: " + AtomicFiles.reason(e) + "; " + undo
          + "; the copy of every file it touches is in " + backup, e);
    }
    AtomicFiles.delete(root.resolve(JOURNAL));
    log.accept("state directory " + root + ": format " + (from + 1) + "; the copy of format " + from + " is in "
        + backup);
  }

  /** Finishes or undoes an upgrade a crash interrupted (the journal exists), so the step can run again. */
  static void resume(Path root, List<FormatStep> steps, Consumer<String> log) throws IOException {
    Path journal = root.resolve(JOURNAL);
    if (!Files.exists(journal)) {
      return;
    }
    JsonObject j;
    try {
      j = new JsonObject(Files.readString(journal, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new StateFormatException(journal + " (an interrupted upgrade) cannot be read: " + e.getMessage()
          + "; restore the state directory from a copy in " + BACKUPS + " by hand", e);
    }
    int from = j.getInteger("from", -1);
    Path backup = backupDir(root, from);
    AtomicFiles.deleteTree(backup.resolveSibling(backup.getFileName() + ".tmp"));
    if (StateFormat.read(root) == from + 1) {
      log.accept("state directory " + root + ": the upgrade to format " + (from + 1) + " had finished; journal"
          + " removed");
    } else if (Files.exists(backup.resolve(MANIFEST))) {
      int n = restore(root, backup);
      log.accept("state directory " + root + ": an upgrade from format " + from + " was interrupted; " + n
          + " files put back from " + backup + ", the upgrade runs again");
    } else {
      log.accept("state directory " + root + ": an upgrade from format " + from + " was interrupted before it"
          + " changed anything; it runs again");
    }
    AtomicFiles.delete(journal);
  }

  /** Copies the existing files of {@code touched} into {@code backup} (complete, then renamed into place). */
  private static void copy(Path root, List<Path> touched, Path backup) throws IOException {
    Path tmp = backup.resolveSibling(backup.getFileName() + ".tmp");
    AtomicFiles.deleteTree(tmp);
    AtomicFiles.ensureDir(backup.getParent());
    AtomicFiles.ensureDir(tmp);
    JsonArray files = new JsonArray();
    JsonArray absent = new JsonArray();
    for (Path rel : touched) {
      Path source = inside(root, rel);
      String name = root.relativize(source).toString();
      if (Files.isRegularFile(source)) {
        Path target = tmp.resolve("files").resolve(name);
        AtomicFiles.ensureDir(target.getParent());
        AtomicFiles.write(target, Files.readAllBytes(source));
        files.add(name);
      } else {
        absent.add(name);
      }
    }
    AtomicFiles.write(tmp.resolve(MANIFEST), new JsonObject().put("files", files).put("absent", absent)
        .encodePrettily().getBytes(StandardCharsets.UTF_8));
    Files.move(tmp, backup, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDir(backup.getParent());
  }

  /** Puts every copied file back and removes the files the step created; the number of files put back. */
  private static int restore(Path root, Path backup) throws IOException {
    JsonObject m = new JsonObject(Files.readString(backup.resolve(MANIFEST), StandardCharsets.UTF_8));
    List<String> back = new ArrayList<>();
    for (Object o : m.getJsonArray("files")) {
      Path target = inside(root, Path.of((String) o));
      AtomicFiles.ensureDir(target.getParent());
      AtomicFiles.write(target, Files.readAllBytes(backup.resolve("files").resolve((String) o)));
      back.add((String) o);
    }
    for (Object o : m.getJsonArray("absent")) {
      AtomicFiles.delete(inside(root, Path.of((String) o)));
    }
    return back.size();
  }

  private static Path inside(Path root, Path rel) {
    Path p = root.resolve(rel).normalize();
    if (!p.startsWith(root) || p.equals(root)) {
      throw new IllegalArgumentException("an upgrade step may only touch files inside " + root + ", not " + rel);
    }
    return p;
  }
}
