package io.vmsup.supervisor.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
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
    Path disk = Files.write(dir.resolve("disk.raw"), new byte[1 << 20]);
    try (GuestVm vm = GuestVm.launch(guest, dir, List.of(), List.of("-smp", "2",
        "-drive", "if=none,id=d0,format=raw,file=" + disk, "-device", "virtio-blk-pci,drive=d0"))) {
      vm.console().awaitLine(GuestImage.READY, BOOT);

      CommandResult nproc = vm.console().run("nproc", STEP);
      assertThat(nproc.rc()).isZero();
      assertThat(nproc.output()).containsExactly("2");
      CommandResult disks = vm.console().run("ls /dev/vd*", STEP);
      assertThat(disks.output()).containsExactly("/dev/vda");
      assertThat(disks.sequence()).isEqualTo(nproc.sequence() + 1);

      CommandResult failing = vm.console().run("ls /nonexistent", STEP);
      assertThat(failing.rc()).isNotZero();
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
  void hotPluggedCpuAndMemoryAreOnlinedByTheGuest(GuestImage guest, @TempDir Path dir) throws Exception {
    // 128 MiB with maxmem does not boot (the kernel runs out of memory early): 256 MiB.
    try (GuestVm vm = GuestVm.launch(guest, dir, List.of(),
        List.of("-smp", "1,maxcpus=2", "-m", "256,slots=2,maxmem=1G"))) {
      vm.console().awaitLine(GuestImage.READY, BOOT);
      long before = memTotalKb(vm);

      JsonObject cpu = freeCpuSlot(vm).getJsonObject("props").copy()
          .put("driver", freeCpuSlot(vm).getString("type")).put("id", "cpu1");
      vm.qmp().execute("device_add", cpu, STEP);
      vm.console().awaitLine(Pattern.compile("^GUEST-HOTPLUG cpu1 online=1$"), STEP);
      vm.qmp().execute("object-add", new JsonObject().put("qom-type", "memory-backend-ram").put("id", "mem1")
          .put("size", 128L << 20), STEP);
      vm.qmp().execute("device_add", new JsonObject().put("driver", "pc-dimm").put("id", "dimm1")
          .put("memdev", "mem1"), STEP);
      vm.console().awaitLine(Pattern.compile("^GUEST-HOTPLUG memory\\d+ online=1$"), STEP);

      assertThat(vm.console().run("nproc", STEP).output()).containsExactly("2");
      assertThat(memTotalKb(vm) - before).isGreaterThanOrEqualTo(120L * 1024);
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

  private static JsonObject freeCpuSlot(GuestVm vm) throws Exception {
    JsonObject reply = vm.qmp().execute("query-hotpluggable-cpus", new JsonObject(), STEP);
    return reply.getJsonArray("return").stream().map(JsonObject.class::cast)
        .filter(slot -> !slot.containsKey("qom-path")).findFirst()
        .orElseThrow(() -> new AssertionError("no free CPU slot: " + reply));
  }

  private static long memTotalKb(GuestVm vm) throws Exception {
    String line = vm.console().run("grep MemTotal /proc/meminfo", STEP).text();
    return Long.parseLong(line.replaceAll("\\D", ""));
  }
}
