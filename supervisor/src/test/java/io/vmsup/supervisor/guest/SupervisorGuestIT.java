package io.vmsup.supervisor.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The supervisor with a real guest (TCG here, ~3-4 s per boot): the stop ladder ends at the guest's own ACPI
 * power-off (also a slow one), escalates past a guest that ignores the button or has not booted far enough to hear
 * it, a pvpanic crash is restarted under {@code on-failure}, and {@code reset} boots the guest again. The guest's console is followed in the VM's {@code serial.log}.
 */
@ExtendWith(TestGuest.class)
class SupervisorGuestIT {

  private static final Duration BOOT = Duration.ofSeconds(60);
  private static final Duration T = Duration.ofSeconds(30);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();
  private Fixture f;
  private SerialConsole console;

  @Test
  void stopPressesThePowerButtonAndTheGuestPowersItselfOff(GuestImage guest) throws Exception {
    f = supervisors.start(supervisors.options().withAllowedPaths(guest.roots()));
    f.request(Addresses.CREATE, spec("g", guest, List.of(), new JsonObject()));
    assertThat(f.request(Addresses.START, name("g")).getString("state")).isEqualTo("RUNNING");
    console = supervisors.closeAfter(SerialConsole.follow(serialLog("g")));
    console.awaitLine(GuestImage.READY, BOOT);

    long start = System.nanoTime();
    JsonObject stopped = f.request(Addresses.STOP, name("g"));
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(stopped.getJsonArray("steps").getList()).containsExactly("powerdown");
    assertThat(stopped.getString("state")).isEqualTo("STOPPED");
    assertThat(stopped.getString("reason")).isEqualTo("guest-shutdown");
    assertThat(f.awaitState("g", "STOPPED", T).getString("reason")).isEqualTo("guest-shutdown");
    console.awaitLine(GuestImage.SHUTDOWN, T);
    console.awaitLine("GUEST-POWEROFF", T);
  }

  @Test
  void stopEscalatesToQuitWhenTheGuestIgnoresTheButton(GuestImage guest) throws Exception {
    f = supervisors.start(supervisors.options().withAllowedPaths(guest.roots()));
    f.request(Addresses.CREATE, spec("g", guest, List.of(GuestImage.IGNORE_BUTTON), new JsonObject()));
    f.request(Addresses.START, name("g"));
    console = supervisors.closeAfter(SerialConsole.follow(serialLog("g")));
    console.awaitLine(GuestImage.READY, BOOT);

    long start = System.nanoTime();
    JsonObject stopped = f.request(Addresses.STOP, name("g").put("graceSeconds", 2));
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(stopped.getJsonArray("steps").getList()).containsExactly("powerdown", "quit");
    assertThat(stopped.getString("reason")).isEqualTo("host-qmp-quit");
    console.awaitLine("GUEST-BUTTON-IGNORED", T);
    assertThat(millis).as("the grace was waited out").isGreaterThanOrEqualTo(2_000);
    assertThat(f.awaitEvent(e -> "stop-step".equals(e.getString("type")) && "quit".equals(e.getString("step")), T))
        .isNotNull();
  }

  @Test
  void stopWaitsForASlowGuestWithinTheGrace(GuestImage guest) throws Exception {
    f = supervisors.start(supervisors.options().withAllowedPaths(guest.roots()));
    f.request(Addresses.CREATE, spec("g", guest, List.of(GuestImage.slowShutdown(2)), new JsonObject()));
    f.request(Addresses.START, name("g"));
    console = supervisors.closeAfter(SerialConsole.follow(serialLog("g")));
    console.awaitLine(GuestImage.READY, BOOT);

    long start = System.nanoTime();
    JsonObject stopped = f.request(Addresses.STOP, name("g").put("graceSeconds", 20));
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(stopped.getJsonArray("steps").getList()).containsExactly("powerdown");
    assertThat(stopped.getString("reason")).isEqualTo("guest-shutdown");
    assertThat(millis).as("the guest took its 2 s").isGreaterThanOrEqualTo(2_000);
  }

  @Test
  void aPowerButtonPressedBeforeReadyIsLostAndTheStopEscalates(GuestImage guest) throws Exception {
    f = supervisors.start(supervisors.options().withAllowedPaths(guest.roots()));
    f.request(Addresses.CREATE, spec("g", guest, List.of(), new JsonObject()));
    f.request(Addresses.START, name("g"));

    // RUNNING means QMP answers; the guest is still in its firmware or kernel, acpid is not listening yet.
    JsonObject stopped = f.request(Addresses.STOP, name("g").put("graceSeconds", 2));

    assertThat(stopped.getJsonArray("steps").getList()).containsExactly("powerdown", "quit");
    assertThat(stopped.getString("reason")).isEqualTo("host-qmp-quit");
    assertThat(Files.readString(serialLog("g"))).as("QEMU is gone: the log is complete")
        .doesNotContain(GuestImage.SHUTDOWN);
  }

  @Test
  void aPanicUnderOnFailureIsACrashThatIsRestartedToReadyAgain(GuestImage guest) throws Exception {
    f = supervisors.start(supervisors.options().withAllowedPaths(guest.roots()));
    // The panic comes 4 s after every READY: long enough to stop the restarted guest before it panics again.
    JsonObject supervision = new JsonObject().put("restart", "on-failure").put("backoffInitial", "100ms");
    f.request(Addresses.CREATE, spec("g", guest, List.of(GuestImage.panicAfter(4)), supervision));
    long firstPid = f.request(Addresses.START, name("g")).getLong("pid");
    assertThat(f.awaitState("g", "STARTING", T).getString("reason")).isEqualTo("start");
    f.awaitState("g", "RUNNING", T);
    console = supervisors.closeAfter(SerialConsole.follow(serialLog("g")));
    console.awaitLine(GuestImage.READY, BOOT);

    assertThat(f.awaitEvent(e -> "qmp".equals(e.getString("type")) && "GUEST_PANICKED".equals(e.getString("event")),
        T).getJsonObject("data").getString("action")).isEqualTo("poweroff");
    assertThat(f.awaitState("g", "CRASHED", T).getString("reason")).isEqualTo("guest-panic");
    assertThat(f.awaitState("g", "STARTING", T).getString("reason")).isEqualTo("restart");
    f.awaitState("g", "RUNNING", T);
    console.awaitLine(GuestImage.READY, BOOT);

    JsonObject view = f.request(Addresses.GET, name("g"));
    assertThat(view.getInteger("restarts")).isEqualTo(1);
    assertThat(view.getLong("pid")).isNotEqualTo(firstPid);
    JsonObject stopped = f.request(Addresses.STOP, name("g"));
    assertThat(stopped.getString("reason")).isEqualTo("guest-shutdown");
  }

  @Test
  void resetBootsTheGuestAgain(GuestImage guest) throws Exception {
    f = supervisors.start(supervisors.options().withAllowedPaths(guest.roots()));
    f.request(Addresses.CREATE, spec("g", guest, List.of(), new JsonObject()));
    long pid = f.request(Addresses.START, name("g")).getLong("pid");
    console = supervisors.closeAfter(SerialConsole.follow(serialLog("g")));
    console.awaitLine(GuestImage.READY, BOOT);

    JsonObject reset = f.request(Addresses.RESET, name("g"));

    assertThat(reset.getString("state")).isEqualTo("RUNNING");
    JsonObject event = f.awaitEvent(e -> "qmp".equals(e.getString("type")) && "RESET".equals(e.getString("event")), T);
    assertThat(event.getJsonObject("data").getString("reason")).isEqualTo("host-qmp-system-reset");
    console.awaitLine(GuestImage.READY, BOOT);
    assertThat(f.request(Addresses.GET, name("g")).getLong("pid")).as("same QEMU").isEqualTo(pid);
    assertThat(f.request(Addresses.STOP, name("g")).getString("reason")).isEqualTo("guest-shutdown");
  }

  /** A q35 VM booting the test guest with an ISA pvpanic device. */
  static JsonObject spec(String name, GuestImage guest, List<String> switches, JsonObject supervision) {
    JsonObject kernel = new JsonObject().put("path", guest.kernel().toString())
        .put("initrd", guest.initrd().toString())
        .put("cmdline", GuestImage.append(switches.toArray(String[]::new)));
    return new JsonObject().put("name", name).put("cpu", "max").put("kernel", kernel)
        .put("devices", new JsonArray().add(new JsonObject().put("kind", "pvpanic").put("id", "panic0")))
        .put("supervision", supervision);
  }

  private static JsonObject name(String vm) {
    return new JsonObject().put("name", vm);
  }

  private Path serialLog(String vm) {
    return supervisors.dir().resolve("vms").resolve(vm).resolve("serial.log");
  }
}
