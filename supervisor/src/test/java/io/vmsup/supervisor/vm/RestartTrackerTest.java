package io.vmsup.supervisor.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartTrackerTest {

  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  private RestartTracker tracker() {
    return new RestartTracker(Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(10), 3,
        Duration.ofSeconds(5));
  }

  @Test
  void delayDoublesUpToTheMaximum() {
    RestartTracker r = tracker();
    assertThat(r.nextDelay(t0, t0)).isEqualTo(Duration.ofMillis(100));
    assertThat(r.nextDelay(t0, t0)).isEqualTo(Duration.ofMillis(200));
    assertThat(r.nextDelay(t0, t0)).isEqualTo(Duration.ofMillis(400));
    assertThat(r.nextDelay(t0, t0)).isEqualTo(Duration.ofMillis(800));
    assertThat(r.nextDelay(t0, t0)).isEqualTo(Duration.ofMillis(1000));
    assertThat(r.nextDelay(t0, null)).isEqualTo(Duration.ofMillis(1000));
  }

  @Test
  void aStableRunResetsTheBackoff() {
    RestartTracker r = tracker();
    r.nextDelay(t0, t0);
    r.nextDelay(t0, t0);
    Instant later = t0.plusSeconds(60);
    assertThat(r.nextDelay(later, later.minusSeconds(10))).isEqualTo(Duration.ofMillis(100));
    assertThat(r.nextDelay(later, later.minusSeconds(9))).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void burstStartsWithinTheIntervalHitTheLimitAndAgeOut() {
    RestartTracker r = tracker();
    for (int i = 0; i < 3; i++) {
      assertThat(r.limitHit(t0.plusSeconds(i))).isFalse();
      r.recordStart(t0.plusSeconds(i));
    }
    assertThat(r.limitHit(t0.plusSeconds(3))).isTrue();
    assertThat(r.limitHit(t0.plusMillis(5_001))).isFalse();
    assertThat(r.restarts()).isEqualTo(3);
    r.clear();
    assertThat(r.limitHit(t0.plusSeconds(3))).isFalse();
  }
}
