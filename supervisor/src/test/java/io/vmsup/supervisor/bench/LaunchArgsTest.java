package io.vmsup.supervisor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmsup.supervisor.api.StartSettings;
import org.junit.jupiter.api.Test;

/** {@code bench launch}'s options: the start queue's size by run, and what a bad value is told. */
class LaunchArgsTest {

  @Test
  void theQueueIsAutoUnlessGiven() {
    assertThat(LaunchArgs.parse(new String[0]).starts()).isEqualTo(StartSettings.auto());
    assertThat(LaunchArgs.parse(new String[0]).startsNote()).endsWith("(auto)");

    LaunchArgs eight = LaunchArgs.parse(new String[] {"--queue", "8", "--vms", "200"});

    assertThat(eight.starts().maxConcurrent()).isEqualTo(8);
    assertThat(eight.startsNote()).isEqualTo("8 (--queue)");
  }

  @Test
  void aBadQueueSizeSaysWhatIsAllowed() {
    for (String bad : new String[] {"0", "-1", "10001", "x", "", "4.5", "99999999999"}) {
      assertThatThrownBy(() -> LaunchArgs.parse(new String[] {"--queue", bad}))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a whole number 1..10000");
    }
    assertThatThrownBy(() -> LaunchArgs.parse(new String[] {"--queue"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--queue needs a value");
  }
}
