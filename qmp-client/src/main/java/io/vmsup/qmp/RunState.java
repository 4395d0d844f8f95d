package io.vmsup.qmp;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** QEMU's {@code RunState}. Values this client does not know decode to {@link #UNKNOWN} (the raw text is kept). */
public enum RunState {
  DEBUG, FINISH_MIGRATE, INMIGRATE, INTERNAL_ERROR, IO_ERROR, PAUSED, POSTMIGRATE, PRELAUNCH, RESTORE_VM,
  RUNNING, SAVE_VM, SHUTDOWN, SUSPENDED, WATCHDOG, GUEST_PANICKED, COLO, UNKNOWN;

  // computed once: decoding a reply must not build the wire names again (it did, for every query-status)
  private static final Map<String, RunState> BY_WIRE = new HashMap<>();

  static {
    for (RunState s : values()) {
      if (s != UNKNOWN) {
        BY_WIRE.put(s.wire, s);
      }
    }
  }

  private final String wire;

  RunState() {
    this.wire = name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The wire name, for example {@code finish-migrate}. */
  public String wire() {
    return wire;
  }

  /** Decodes a wire name; never throws. */
  public static RunState fromWire(String value) {
    RunState s = value == null ? null : BY_WIRE.get(value);
    return s == null ? UNKNOWN : s;
  }
}
