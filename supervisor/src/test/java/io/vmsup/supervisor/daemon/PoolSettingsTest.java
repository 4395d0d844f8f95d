package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eventLoops, workerPoolSize and internalBlockingPoolSize: defaults, the three sources, bad values named. */
class PoolSettingsTest {

  @TempDir
  Path dir;

  @Test
  void defaultsAreVertxsOnThisHost() {
    PoolSettings p = ConfigLoader.load(List.of(), Map.of(), false).config().pools();
    assertThat(p).isEqualTo(new PoolSettings(2 * Runtime.getRuntime().availableProcessors(), 20, 20));
    VertxOptions o = p.applyTo(new VertxOptions());
    assertThat(o.getEventLoopPoolSize()).isEqualTo(p.eventLoops());
    assertThat(o.getWorkerPoolSize()).isEqualTo(20);
    assertThat(o.getInternalBlockingPoolSize()).isEqualTo(20);
  }

  @Test
  void comeFromFlagsVariablesAndTheFile() throws Exception {
    Path file = dir.resolve("c.json");
    Files.writeString(file, "{\"eventLoops\": 3, \"workerPoolSize\": 7}");
    ConfigLoader.Result r = ConfigLoader.load(List.of("--config", file.toString(), "--internal-blocking-pool-size",
        "5"), Map.of("VMSUP_WORKER_POOL_SIZE", "9"), false);
    assertThat(r.errors()).isEmpty();
    assertThat(r.config().pools()).isEqualTo(new PoolSettings(3, 9, 5));
    VertxOptions o = r.config().pools().applyTo(new VertxOptions());
    assertThat(List.of(o.getEventLoopPoolSize(), o.getWorkerPoolSize(), o.getInternalBlockingPoolSize()))
        .containsExactly(3, 9, 5);
    assertThat(ConfigLoader.load(List.of("--event-loops", "auto"), Map.of(), false).config().pools().eventLoops())
        .isEqualTo(PoolSettings.autoEventLoops());
  }

  @Test
  void badValuesAreNamedWithWhatIsAllowed() {
    ConfigLoader.Result r = ConfigLoader.load(List.of("--event-loops", "many", "--worker-pool-size", "0",
        "--internal-blocking-pool-size", "5000"), Map.of(), false);
    assertThat(r.config()).isNull();
    assertThat(r.errors()).containsExactlyInAnyOrder(
        "eventLoops: must be a whole number from 1 to 1024 or auto, not 'many'",
        "workerPoolSize: must be a whole number from 1 to 1024, not '0'",
        "internalBlockingPoolSize: must be a whole number from 1 to 1024, not '5000'");
  }
}
