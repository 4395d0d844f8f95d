package io.vmsup.qmp;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** QEMU's {@code MigrationStatus}; unknown values decode to {@link #UNKNOWN}. */
public enum MigrationStatus {
  NONE, SETUP, CANCELLING, CANCELLED, ACTIVE, POSTCOPY_ACTIVE, POSTCOPY_PAUSED, POSTCOPY_RECOVER, COMPLETED,
  FAILED, COLO, PRE_SWITCHOVER, DEVICE, WAIT_UNPLUG, UNKNOWN;

  // computed once: decoding a reply must not build the wire names again (it did, for every query-status)
  private static final Map<String, MigrationStatus> BY_WIRE = new HashMap<>();

  static {
    for (MigrationStatus s : values()) {
      if (s != UNKNOWN) {
        BY_WIRE.put(s.wire, s);
      }
    }
  }

  private final String wire;

  MigrationStatus() {
    this.wire = name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public String wire() {
    return wire;
  }

  /** Decodes a wire name; never throws. */
  public static MigrationStatus fromWire(String value) {
    MigrationStatus s = value == null ? null : BY_WIRE.get(value);
    return s == null ? UNKNOWN : s;
  }

  /** Whether migration has ended (completed, failed or cancelled). */
  public boolean isFinal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
