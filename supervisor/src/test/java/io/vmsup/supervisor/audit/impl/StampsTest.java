package io.vmsup.supervisor.audit.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The audit's time text is {@code Instant.toString()}'s, whatever the fraction, second after second or not. */
class StampsTest {

  @Test
  void writesWhatInstantToStringWrites() {
    long[] seconds = {0, 59, 1_765_000_000L, 1_796_515_199L, 1_796_515_200L, 253_402_300_799L, -1, -62_135_596_800L};
    int[] nanos = {0, 1, 999_999_999, 120_000_000, 120_300_000, 120_300_400, 1_000, 1_000_000, 500_000_000};
    for (long s : seconds) {
      for (int n : nanos) {
        Instant t = Instant.ofEpochSecond(s, n);
        assertThat(Stamps.of(t)).as("%s", t).isEqualTo(t.toString());
      }
    }
    SplittableRandom r = new SplittableRandom(15);
    for (int i = 0; i < 20_000; i++) {
      // runs within one second and jumps between seconds, both ways
      Instant t = Instant.ofEpochSecond(1_765_000_000L + r.nextInt(4), r.nextInt(4) == 0
          ? r.nextInt(1000) * 1_000_000 : r.nextInt(1_000_000_000));
      assertThat(Stamps.of(t)).isEqualTo(t.toString());
    }
    Instant before = Instant.now();
    Instant stamped = Instant.parse(Stamps.now());
    assertThat(stamped).isBetween(before, Instant.now());
  }
}
