package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmsup.supervisor.api.StartSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code maxConcurrentStarts}: auto, a whole number 1..10000, and a clear error for anything else. */
class StartSettingsTest {

  @Test
  void autoIsFourTimesTheCpusAndAFlagOrTheEnvironmentSetsIt() {
    assertThat(ConfigLoader.load(List.of(), Map.of(), false).config().starts().maxConcurrent())
        .isEqualTo(Math.max(4, 4 * Runtime.getRuntime().availableProcessors()));
    assertThat(ConfigLoader.load(List.of("--max-concurrent-starts=3"), Map.of(), false).config().starts())
        .isEqualTo(new StartSettings(3));
    assertThat(ConfigLoader.load(List.of(), Map.of("VMSUP_MAX_CONCURRENT_STARTS", " 10000 "), false).config()
        .starts().maxConcurrent()).isEqualTo(10000);
  }

  @Test
  void hostileValuesAreRefusedSayingWhatIsAllowed() {
    for (String bad : List.of("0", "-1", "10001", "four", "", "2.5", "99999999999", "auto,1")) {
      ConfigLoader.Result r = ConfigLoader.load(List.of("--max-concurrent-starts=" + bad), Map.of(), false);
      assertThat(r.config()).as(bad).isNull();
      assertThat(r.errors()).as(bad).anyMatch(e -> e.startsWith("maxConcurrentStarts") && e.contains("1..10000"));
    }
  }
}
