package io.vmsup.supervisor.metrics.impl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a sample asks the block queries: always, until both answered empty; then after a change or a recheck. */
class BlockQueriesTest {

  private final BlockQueries q = new BlockQueries();

  @Test
  void asksUntilBothAnsweredEmptyThenOnlyAfterAChangeOrEveryRecheck() {
    assertThat(q.ask(0)).isTrue();
    q.answered(false, 0); // a disk
    assertThat(q.ask(0)).isTrue();
    q.answered(true, 0);
    for (int i = 1; i < BlockQueries.RECHECK; i++) {
      assertThat(q.ask(0)).as("sample %d after the empty answer", i).isFalse();
    }
    assertThat(q.ask(0)).as("the recheck").isTrue();
    q.answered(true, 0);
    assertThat(q.ask(0)).isFalse();
    assertThat(q.ask(1)).as("a command completed since").isTrue();
    q.answered(true, 1);
    assertThat(q.ask(1)).isFalse();
    q.reset(); // another process, or QMP did not answer
    assertThat(q.ask(1)).isTrue();
  }

  @Test
  void aCommandThatCompletedWhileTheQueriesRanMakesTheNextSampleAsk() {
    assertThat(q.ask(4)).isTrue();
    // read 4 before sending; a blockdev-add completed meanwhile (5): the empty answer may predate it
    q.answered(true, 4);
    assertThat(q.ask(5)).isTrue();
  }
}
