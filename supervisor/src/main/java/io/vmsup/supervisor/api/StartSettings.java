package io.vmsup.supervisor.api;

/**
 * How many VM starts run at once ({@code maxConcurrentStarts}): a start holds its turn from before its QEMU is spawned
 * until QMP answers (or the start fails); more wait in a queue, in order, STARTING, announced by a {@code start-queue}
 * event. QEMU's own start-up is CPU-bound: 200 spawns at once on two CPUs all finish later than the same 200 a few at
 * a time.
 *
 * @param maxConcurrent starts at once, at least 1
 */
public record StartSettings(int maxConcurrent) {

  /** The highest accepted {@link #maxConcurrent}. */
  public static final int MAX = 10_000;

  public StartSettings {
    if (maxConcurrent < 1 || maxConcurrent > MAX) {
      throw new IllegalArgumentException("maxConcurrentStarts must be 1.." + MAX + ": " + maxConcurrent);
    }
  }

  /**
   * The default: four times the host's CPUs, at least 4. A turn is held from the spawn until QMP answers, and on a
   * busy host most of that is QEMU waiting for a CPU, not using it: with 200 at once at load 15-34 on 2 CPUs a queue of
   * 2 finished 3.4x later than unbounded, 4 1.4-1.8x, 8 0.97x and 16 0.93x (docs/benchmarks.md, session 7).
   */
  public static StartSettings auto() {
    return new StartSettings(autoCount());
  }

  /** The number {@link #auto()} picks on this host. */
  public static int autoCount() {
    return Math.max(4, 4 * Runtime.getRuntime().availableProcessors());
  }

  /**
   * Parses the setting's text: {@code auto} or a whole number 1..{@value #MAX}.
   *
   * @throws IllegalArgumentException saying what is allowed
   */
  public static StartSettings parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.equals("auto")) {
      return auto();
    }
    try {
      return new StartSettings(Integer.parseInt(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("maxConcurrentStarts: must be auto or a whole number 1.." + MAX + ", not '"
          + text + "'");
    }
  }
}
