package io.vmsup.config;

/**
 * Process-wide switches.
 *
 * @param noUserConfig {@code -no-user-config}, default true
 * @param noDefaults   {@code -nodefaults}, default true
 * @param display      {@code -display}: {@code none} (default), {@code vnc} is not offered; {@code none} only today
 * @param hugepages    back RAM with {@code /dev/hugepages} ({@code memory-backend-file}), default false
 * @param prealloc     pre-allocate guest RAM, default false
 * @param memLock      lock QEMU and guest memory ({@code -overcommit mem-lock=on}), default false
 */
public record Knobs(boolean noUserConfig, boolean noDefaults, Display display, boolean hugepages, boolean prealloc,
    boolean memLock) {

  /** The display backend. */
  public enum Display { NONE }

  /** All defaults. */
  public static Knobs defaults() {
    return new Knobs(true, true, Display.NONE, false, false, false);
  }
}
