package io.vmsup.config;

import java.util.Optional;

/**
 * The real-time clock: {@code -rtc base=...,clock=...,driftfix=...}.
 *
 * @param base     {@code utc} (default) or {@code localtime}
 * @param clock    {@code host}, {@code rt} or {@code vm}; absent = QEMU default
 * @param driftFix {@code slew} or {@code none}; absent = QEMU default
 */
public record Rtc(Base base, Optional<Clock> clock, Optional<DriftFix> driftFix) {

  /** RTC start value. */
  public enum Base { UTC, LOCALTIME }

  /** The clock that drives the RTC. */
  public enum Clock { HOST, RT, VM }

  /** Lost-tick policy. */
  public enum DriftFix { SLEW, NONE }
}
