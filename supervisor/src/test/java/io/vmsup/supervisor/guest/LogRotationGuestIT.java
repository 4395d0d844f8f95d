package io.vmsup.supervisor.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.launch.LogLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real guest floods its serial port while the daemon caps {@code serial.log} at 16 KiB with 2 rotated files: the
 * live console loses and doubles no line across the rotations, the log stays bounded while QEMU keeps appending to
 * the same file, and the console history spans the rotated file and the current one.
 */
@ExtendWith(TestGuest.class)
class LogRotationGuestIT {

  private static final Duration BOOT = Duration.ofSeconds(60);
  private static final Duration T = Duration.ofSeconds(60);
  private static final long CAP = 16 * 1024;

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();
  private Fixture f;
  private BusConsole console;

  @Test
  void theSerialLogIsCappedWhileTheGuestWritesAndNoLineIsLost(GuestImage guest) throws Exception {
    f = supervisors.start(supervisors.options().withAllowedPaths(guest.roots())
        .withLogLimits(new LogLimits(CAP, 2, Duration.ofMillis(100))));
    f.request(Addresses.CREATE, ConsoleGuestIT.spec("g", guest));
    console = supervisors.closeAfter(BusConsole.subscribe(f, "g"));
    f.request(Addresses.START, new JsonObject().put("name", "g"));
    console.awaitLine(GuestImage.READY, BOOT);
    Path log = supervisors.dir().resolve("vms/g/serial.log");

    List<String> all = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      // ~12 KiB per round: three rounds and more pass the cap of 16 KiB twice
      String cmd = "i=0; while [ $i -lt 200 ]; do echo r" + round + "-$i-" + "x".repeat(40) + "; i=$((i+1)); done";
      // a doubled line end (see BusConsole.sameButDoubled) is an empty line or a stray \\r
      List<String> out = console.run(cmd, T).stream().map(l -> l.replace("\r", "")).filter(l -> !l.isEmpty())
          .toList();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        expected.add("r" + round + "-" + i + "-" + "x".repeat(40));
      }
      // ~12 KiB per round under a 16 KiB cap: at most one rotation per round, and the bytes QEMU appends at the
      // instant of a truncation are lost (copy-then-truncate's window): at most two lines damaged by it
      int next = 0;
      int damaged = 0;
      for (String line : out) {
        int k = next;
        while (k < Math.min(next + 3, expected.size()) && !BusConsole.sameButDoubled(line, expected.get(k))) {
          k++;
        }
        if (k < Math.min(next + 3, expected.size())) {
          damaged += k - next;
          next = k + 1;
        }
      }
      damaged += expected.size() - next;
      assertThat(damaged).as("round %d: lines lost or damaged at a rotation: %s", round, out).isLessThanOrEqualTo(2);
      assertThat(out.size()).as("round %d: no line repeated", round).isBetween(198, 200);
      all.addAll(out);
    }
    awaitBelowCap(log);
    assertThat(supervisors.dir().resolve("vms/g/serial.log.1")).exists();
    assertThat(supervisors.dir().resolve("vms/g/serial.log.2")).exists();
    assertThat(supervisors.dir().resolve("vms/g/serial.log.3")).as("keep = 2").doesNotExist();

    // QEMU still appends to the same (truncated) file, and the history reaches back into serial.log.1
    assertThat(console.run("echo after-rotation", T)).containsExactly("after-rotation");
    assertThat(Files.readString(log)).contains("after-rotation");
    JsonObject h = f.request(Addresses.CONSOLE_READ, new JsonObject().put("name", "g").put("lines", 5000));
    List<String> lines = h.getJsonArray("lines").stream().map(o -> ((JsonObject) o).getString("line"))
        .map(l -> l.replace("\r", "")).filter(l -> !l.isEmpty()).toList();
    assertThat(lines).contains("after-rotation");
    assertThat(lines.size()).as("the history reaches into serial.log.1")
        .isGreaterThan(Files.readAllLines(log).size());
    // from the first flood line the history holds, every later one follows (the guest's CMD-BEGIN/END lines left
    // out), none lost at the boundary of serial.log.1 and serial.log
    List<String> flood = lines.stream().filter(new java.util.HashSet<>(all)::contains).toList();
    int from = all.indexOf(flood.get(0));
    assertThat(flood).isEqualTo(all.subList(from, all.size()));
  }

  /** The cap is checked on a timer: wait for a check after the last write. */
  private static void awaitBelowCap(Path log) throws Exception {
    Await.until("serial.log below the cap after a check", () -> Files.size(log) < CAP, Duration.ofSeconds(30));
  }
}
