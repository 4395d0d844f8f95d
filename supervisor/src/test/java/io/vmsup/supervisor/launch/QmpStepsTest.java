package io.vmsup.supervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.Device;
import io.vmsup.config.HotplugPlan;
import io.vmsup.config.QmpHotplug;
import io.vmsup.config.QmpStep;
import io.vmsup.config.SpecResult;
import io.vmsup.config.VmSpecs;
import io.vmsup.qmp.QmpCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every step of every hot-plug plan the golden specs of config-model make becomes a typed command with the step's
 * name and exactly its arguments: nothing is lost or added on the way from config-model's plan to the wire.
 */
class QmpStepsTest {

  private static final Path CASES = Path.of("../config-model/src/test/resources/argv");

  private static List<QmpStep> everyStep() throws IOException {
    List<QmpStep> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(CASES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        if (VmSpecs.parse(Files.readString(f)) instanceof SpecResult.Valid v) {
          for (Device d : v.spec().devices()) {
            if (QmpHotplug.supports(d)) {
              HotplugPlan plan = QmpHotplug.plan(d);
              out.addAll(plan.steps());
              out.addAll(plan.undo());
            }
          }
        }
      }
    }
    return out;
  }

  @Test
  void everyPlannedStepKeepsItsNameAndArguments() throws IOException {
    List<QmpStep> steps = everyStep();
    Set<String> names = new TreeSet<>();
    for (QmpStep s : steps) {
      QmpCommand<?> typed = QmpSteps.command(s);
      names.add(s.command());
      assertThat(typed.name()).as(s.toString()).isEqualTo(s.command());
      assertThat(new JsonObject(typed.arguments().encode()))
          .as(s.toString()).isEqualTo(new JsonObject(Json.encode(s.arguments())));
    }
    assertThat(names).containsExactlyInAnyOrder("device_add", "device_del", "netdev_add", "netdev_del",
        "object-add", "object-del", "blockdev-add", "blockdev-del", "chardev-add", "chardev-remove");
  }

  @Test
  void aCommandNoPlanMakesIsRefused() {
    assertThatThrownBy(() -> QmpSteps.command(new QmpStep("human-monitor-command", Map.of("command-line", "q"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("human-monitor-command");
  }

  @Test
  void stepsRunInOrderAndStopAtTheFirstFailure() {
    List<String> sent = new ArrayList<>();
    List<String> done = new ArrayList<>();
    List<QmpStep> steps = List.of(new QmpStep("object-add", Map.of("qom-type", "rng-random", "id", "r")),
        new QmpStep("device_add", Map.of("driver", "virtio-rng-pci", "id", "rng")),
        new QmpStep("device_del", Map.of("id", "rng")));
    Future<Void> f = QmpSteps.inOrder(c -> {
      sent.add(c.name());
      return c.name().equals("device_add") ? Future.failedFuture("refused") : Future.succeededFuture();
    }, steps, done);
    assertThat(f.failed()).isTrue();
    assertThat(sent).containsExactly("object-add", "device_add");
    assertThat(done).containsExactly("object-add");
  }
}
