package io.vmsup.supervisor.audit.impl;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * An audit record's time, {@link Instant#toString()}'s text, without a {@code DateTimeFormatter} run per record
 * (issue 15: ~2 % of the edge's CPU on the pass-through): the text to the second is made once per second and reused;
 * the fraction follows ISO-8601 as {@code Instant.toString()} writes it (none, or 3, 6 or 9 digits).
 */
public final class Stamps {

  private record Second(long epochSecond, String prefix) {
  }

  private static volatile Second last = new Second(Long.MIN_VALUE, "");

  private Stamps() {
  }

  /** Now, as {@code Instant.now().toString()} would write it. */
  public static String now() {
    return of(Instant.now());
  }

  static String of(Instant t) {
    Second s = last;
    if (s.epochSecond() != t.getEpochSecond()) {
      String whole = t.truncatedTo(ChronoUnit.SECONDS).toString();
      s = new Second(t.getEpochSecond(), whole.substring(0, whole.length() - 1));
      last = s;
    }
    StringBuilder b = new StringBuilder(s.prefix().length() + 11).append(s.prefix());
    int nano = t.getNano();
    if (nano > 0) {
      int digits = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
      String nine = Integer.toString(1_000_000_000 + nano);
      b.append('.').append(nine, 1, 1 + digits);
    }
    return b.append('Z').toString();
  }
}
