package io.vmsup.supervisor.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test guest's behaviours, proven against plain QEMU (TCG here: ~3-4 s per boot). Every wait is on a console
 * marker, a QMP event or the process exit, each with a timeout.
 */
@ExtendWith(TestGuest.class)
class GuestBootIT {

  private static final Duration BOOT = Duration.ofSeconds(60);
  private static final Duration STEP = Duration.ofSeconds(20);

  @Test
  void bootsToReadyAndAnswersCommandsOnTheSerialConsole(GuestImage guest, @TempDir Path dir) throws Exception {
    try (GuestVm vm = GuestVm.launch(guest, dir, List.of(), List.of("-smp", "2"))) {
      vm.console().awaitLine(GuestImage.READY, BOOT);

      CommandResult nproc = vm.console().run("nproc", STEP);
      assertThat(nproc.rc()).isZero();
      assertThat(nproc.output()).containsExactly("2");

      CommandResult failing = vm.console().run("ls /nonexistent", STEP);
      assertThat(failing.rc()).isNotZero();
      assertThat(failing.sequence()).isEqualTo(nproc.sequence() + 1);
      assertThat(failing.text()).contains("/nonexistent");
    }
  }

  @Test
  void powerButtonShutsTheGuestDownAndQemuExitsZero(GuestImage guest, @TempDir Path dir) throws Exception {
    try (GuestVm vm = GuestVm.launch(guest, dir, List.of(), List.of())) {
      vm.console().awaitLine(GuestImage.READY, BOOT);

      vm.qmp().execute("system_powerdown", new JsonObject(), STEP);

      vm.qmp().awaitEvent("POWERDOWN", STEP);
      vm.console().awaitLine(GuestImage.SHUTDOWN, STEP);
      JsonObject shutdown = vm.qmp().awaitEvent("SHUTDOWN", STEP).getJsonObject("data");
      assertThat(shutdown.getBoolean("guest")).isTrue();
      assertThat(shutdown.getString("reason")).isEqualTo("guest-shutdown");
      assertThat(vm.awaitExit(STEP)).isZero();
    }
  }

  @Test
  void ignoredPowerButtonLeavesTheGuestRunning(GuestImage guest, @TempDir Path dir) throws Exception {
    try (GuestVm vm = GuestVm.launch(guest, dir, List.of(GuestImage.IGNORE_BUTTON), List.of())) {
      vm.console().awaitLine(GuestImage.READY, BOOT);

      vm.qmp().execute("system_powerdown", new JsonObject(), STEP);

      vm.qmp().awaitEvent("POWERDOWN", STEP);
      vm.console().awaitLine("GUEST-BUTTON-IGNORED", STEP);
      assertThat(vm.qmp().pollEvent("SHUTDOWN", Duration.ofSeconds(3))).isEmpty();
      assertThat(vm.qmp().execute("query-status", new JsonObject(), STEP).getString("status")).isEqualTo("running");
      assertThat(vm.process().isAlive()).isTrue();
      assertThat(vm.console().run("echo still here", STEP).output()).containsExactly("still here");
    }
  }

  @Test
  void panicWithPvpanicIsReportedAsGuestPanic(GuestImage guest, @TempDir Path dir) throws Exception {
    try (GuestVm vm = GuestVm.launch(guest, dir, List.of(GuestImage.panicAfter(1)), List.of())) {
      vm.console().awaitLine(GuestImage.READY, BOOT);

      JsonObject panicked = vm.qmp().awaitEvent("GUEST_PANICKED", STEP).getJsonObject("data");
      assertThat(panicked.getString("action")).isEqualTo("poweroff");
      JsonObject shutdown = vm.qmp().awaitEvent("SHUTDOWN", STEP).getJsonObject("data");
      assertThat(shutdown.getString("reason")).isEqualTo("guest-panic");
      assertThat(vm.awaitExit(STEP)).isZero();
    }
  }

  @Test
  void rebootInsideTheGuestBootsItAgain(GuestImage guest, @TempDir Path dir) throws Exception {
    try (GuestVm vm = GuestVm.launch(guest, dir, List.of(), List.of())) {
      vm.console().awaitLine(GuestImage.READY, BOOT);

      vm.console().send("reboot");

      vm.console().awaitLine(GuestImage.READY, BOOT);
      assertThat(vm.console().snapshot()).contains("GUEST-REBOOT");
      assertThat(vm.qmp().awaitEvent("RESET", STEP).getJsonObject("data").getString("reason"))
          .isEqualTo("guest-reset");
      assertThat(vm.console().run("cat /proc/uptime", STEP).rc()).isZero();
    }
  }
}
