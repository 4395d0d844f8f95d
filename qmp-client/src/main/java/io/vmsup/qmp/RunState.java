package io.vmsup.qmp;

import java.util.Locale;

/** QEMU's {@code RunState}. Values this client does not know decode to {@link #UNKNOWN} (the raw text is kept). */
public enum RunState {
  DEBUG, FINISH_MIGRATE, INMIGRATE, INTERNAL_ERROR, IO_ERROR, PAUSED, POSTMIGRATE, PRELAUNCH, RESTORE_VM,
  RUNNING, SAVE_VM, SHUTDOWN, SUSPENDED, WATCHDOG, GUEST_PANICKED, COLO, UNKNOWN;

  /** The wire name, for example {@code finish-migrate}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Decodes a wire name; never throws. */
  public static RunState fromWire(String value) {
    if (value != null) {
      for (RunState s : values()) {
        if (s != UNKNOWN && s.wire().equals(value)) {
          return s;
        }
      }
    }
    return UNKNOWN;
  }
}
