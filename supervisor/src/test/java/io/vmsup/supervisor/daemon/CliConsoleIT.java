package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmsup.supervisor.deploy.HostTools;
import io.vmsup.supervisor.guest.GuestImage;
import io.vmsup.supervisor.guest.TestGuest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's guest walk-through with the real command-line client (a JVM per command) against a daemon: {@code vm
 * console} prints the raw console lines, {@code vm send} runs a command in the guest, {@code vm stop} ends in the
 * guest's own power-off.
 */
@ExtendWith(TestGuest.class)
class CliConsoleIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private DaemonFixture daemon;
  private Path work;

  @BeforeEach
  void start() throws Exception {
    daemon = daemons.start(DaemonFixture.config(daemons.state()).withAllowedPaths(TestGuest.image().roots()));
    work = daemons.dir("work");
  }

  private HostTools.Run vm(String... args) throws Exception {
    List<String> a = new ArrayList<>(List.of("vm"));
    a.addAll(List.of(args));
    a.addAll(List.of("--url", daemon.daemon.url(), "--token", daemon.daemon.token().value()));
    return HostTools.run(work, DaemonProcess.javaCommand(a.toArray(new String[0])));
  }

  private static String readUntil(BufferedReader lines, String wanted, List<String> seen) throws Exception {
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      seen.add(line);
      if (line.equals(wanted) || line.matches(wanted)) {
        return line;
      }
    }
    throw new AssertionError("the console ended before '" + wanted + "'; it printed " + seen);
  }

  @Test
  void consoleSendAndStopAsTheReadmeDoes(GuestImage guest) throws Exception {
    Path spec = work.resolve("guest.json");
    Files.writeString(spec, DaemonConsoleIT.spec("guest", guest).encodePrettily());
    assertThat(vm("create", spec.toString()).exit()).isZero();
    HostTools.Run started = vm("start", "guest");
    assertThat(started.exit()).as(started.output()).isZero();

    Process console = new ProcessBuilder(DaemonProcess.javaCommand("vm", "console", "guest", "--url",
        daemon.daemon.url(), "--token", daemon.daemon.token().value())).redirectErrorStream(true).start();
    daemons.closeAfter(() -> {
      console.toHandle().destroy();
      console.waitFor(10, TimeUnit.SECONDS);
    });
    // a bound on the blocking reads below: ending the client ends its output
    CompletableFuture.delayedExecutor(120, TimeUnit.SECONDS).execute(() -> console.toHandle().destroy());
    List<String> seen = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(console.getInputStream(),
        StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).isEqualTo("vmsup vm: console of guest (Ctrl-C to stop)");
      readUntil(lines, GuestImage.READY, seen);

      String command = "echo cli-$((6*7)); nproc";
      HostTools.Run sent = vm("send", "guest", command);
      assertThat(sent.exit()).as(sent.output()).isZero();
      assertThat(sent.output()).as("the text and the newline appended").contains("\"bytes\" : "
          + (command.length() + 1));
      String begin = readUntil(lines, "CMD-BEGIN \\d+", seen);
      assertThat(lines.readLine()).isEqualTo("cli-42");
      assertThat(lines.readLine()).isEqualTo("1");
      assertThat(lines.readLine()).isEqualTo("CMD-END " + begin.substring("CMD-BEGIN ".length()) + " rc=0");

      HostTools.Run stopped = vm("stop", "guest");
      assertThat(stopped.exit()).as(stopped.output()).isZero();
      assertThat(stopped.output()).contains("\"reason\" : \"guest-shutdown\"");
      readUntil(lines, "GUEST-POWEROFF", seen);
    }
  }
}
