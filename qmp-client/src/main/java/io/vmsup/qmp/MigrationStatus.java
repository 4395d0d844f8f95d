package io.vmsup.qmp;

import java.util.Locale;

/** QEMU's {@code MigrationStatus}; unknown values decode to {@link #UNKNOWN}. */
public enum MigrationStatus {
  NONE, SETUP, CANCELLING, CANCELLED, ACTIVE, POSTCOPY_ACTIVE, POSTCOPY_PAUSED, POSTCOPY_RECOVER, COMPLETED,
  FAILED, COLO, PRE_SWITCHOVER, DEVICE, WAIT_UNPLUG, UNKNOWN;

  public String wire() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Decodes a wire name; never throws. */
  public static MigrationStatus fromWire(String value) {
    if (value != null) {
      for (MigrationStatus s : values()) {
        if (s != UNKNOWN && s.wire().equals(value)) {
          return s;
        }
      }
    }
    return UNKNOWN;
  }

  /** Whether migration has ended (completed, failed or cancelled). */
  public boolean isFinal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
