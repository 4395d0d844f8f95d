package io.vmsup.supervisor.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One upgrade of the state directory's layout, from format {@link #from()} to {@code from() + 1}. A step names every
 * file it may create, change or delete before it runs ({@link #touches}), so {@link StateFormat} can keep a copy of
 * them and put them back after an I/O error or a crash in the middle; it writes each file atomically
 * ({@link AtomicFiles#write}) and must be safe to run again from the copy.
 */
public interface FormatStep {

  /** The format this step upgrades from. */
  int from();

  /** What the step changes, in a sentence (logged, and named in a failure). */
  String describe();

  /** The files (relative to the state directory) the step may create, change or delete. Blocking. */
  List<Path> touches(Path stateDir) throws IOException;

  /** Runs the step. Blocking. */
  void apply(Path stateDir) throws IOException;
}
