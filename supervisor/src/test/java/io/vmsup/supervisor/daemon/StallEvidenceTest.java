package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StallEvidenceTest {

  private static final String SUSPECT_A = "2026-12-06T19:36:13.628Z WARN  [ClusterHeartbeatManager] [127.0.0.1]:31665"
      + " [vmsup] [5.3.8] Suspecting Member [127.0.0.1]:31661 - 358f5531-c770-4124-b5a9-29082d8a348a because it has"
      + " not sent any heartbeats since 2026-12-06 19:36:09.275.";
  private static final String SUSPECT_B = "2026-12-06T19:36:21.668Z WARN  [ClusterHeartbeatManager] [127.0.0.1]:31665"
      + " [vmsup] [5.3.8] Suspecting Member [127.0.0.1]:31663 - 0059dbd7-ce42-4804-a32f-05bb666bbdf8 because it has"
      + " not sent any heartbeats since 2026-12-06 19:36:17.111.";

  @AfterEach
  void forget() {
    StallEvidence.afterTest(null);
  }

  @Test
  void aSuspicionIsAboutTheSuspectedMemberAndOtherLinesAboutTheirDaemon() {
    assertThat(StallEvidence.dumpSubject(SUSPECT_A, 7)).isEqualTo("member [127.0.0.1]:31661");
    assertThat(StallEvidence.dumpSubject("fleet: this member stalled for 3434 ms; it does not", 7))
        .isEqualTo("daemon 7");
    assertThat(StallEvidence.dumpSubject("Cannot handle heartbeat from [127.0.0.1]:22843, could not acquire lock"
        + " in time.", 8)).isEqualTo("daemon 8");
    assertThat(StallEvidence.dumpSubject("Members {size:1, ver:5} [", 7)).isNull();
  }

  /** The failing frozen-master run: both survivors suspected the old master, 8 s later one suspected the new one. */
  @Test
  void aSecondSuspectedMemberIsDumpedWithinTheWindowOfTheFirst() {
    long t = 1_000_000;
    assertThat(StallEvidence.due(StallEvidence.dumpSubject(SUSPECT_A, 1), t)).isTrue();
    assertThat(StallEvidence.due(StallEvidence.dumpSubject(SUSPECT_A, 2), t + 500)).as("the other survivor")
        .isFalse();
    assertThat(StallEvidence.due(StallEvidence.dumpSubject(SUSPECT_B, 1), t + 8_040)).isTrue();
    assertThat(StallEvidence.due(StallEvidence.dumpSubject(SUSPECT_A, 1), t + 14_999)).isFalse();
    assertThat(StallEvidence.due(StallEvidence.dumpSubject(SUSPECT_A, 1), t + 15_000)).isTrue();
  }
}
