package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmsup.supervisor.client.ApiClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Type=notify}: {@code vmsup run} sends {@code READY=1} to the {@code NOTIFY_SOCKET} this test owns (a real
 * unix datagram socket bound by a Python receiver; PID 1 here is not systemd) only once its API answers, with its
 * pid; the abstract namespace ({@code @name}) works too; {@link SdNotify} without the variable sends nothing.
 */
class SdNotifyIT {

  @TempDir
  Path dir;

  /** A receiver that prints the first datagram (NULs as \\0) and exits; it says "bound" once it listens. */
  private Process receiver(String address) throws Exception {
    String bind = address.startsWith("@") ? "'\\0" + address.substring(1) + "'" : "'" + address + "'";
    return new ProcessBuilder("python3", "-c", "import socket, sys\n"
        + "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
        + "s.bind(" + bind + ")\n"
        + "print('bound', flush=True)\n"
        + "print(s.recv(65536).decode().replace('\\n', '|'), flush=True)\n").start();
  }

  private String readyFrom(String address) throws Exception {
    Process py = receiver(address);
    Process daemon = null;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(py.getInputStream(),
        StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).isEqualTo("bound");
      List<String> command = new ArrayList<>(DaemonProcess.javaCommand("run", "--http-port", "0", "--state-dir",
          dir.resolve("data").toString()));
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("daemon.log").toFile());
      pb.environment().put("NOTIFY_SOCKET", address);
      daemon = pb.start();
      String datagram = lines.readLine();
      assertThat(datagram).as(Files.readString(dir.resolve("daemon.log"))).isNotNull();
      // the daemon said it is ready: its API must answer now, at the address it reported
      String url = datagram.replaceAll(".*STATUS=listening on (\\S+?)\\|.*", "$1");
      assertThat(new ApiClient(url, "none").send("GET", "/health", null).body()).contains("UP");
      assertThat(datagram).contains("READY=1|", "MAINPID=" + daemon.pid() + "|");
      return datagram;
    } finally {
      py.destroyForcibly();
      if (daemon != null) {
        daemon.destroy();
        daemon.waitFor(60, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void readyIsSentToAPathSocketOnceTheApiListens() throws Exception {
    readyFrom(dir.resolve("notify.sock").toString());
    assertThat(Files.readString(dir.resolve("daemon.log"))).contains("sd_notify READY=1: sent to");
  }

  @Test
  void readyIsSentToAnAbstractSocket() throws Exception {
    readyFrom("@vmsup-test-" + ProcessHandle.current().pid());
  }

  @Test
  void nothingIsSentWithoutTheVariableAndABadOneIsNamed() {
    assertThat(SdNotify.send(Map.of(), "READY=1\n").asked()).isFalse();
    SdNotify.Result relative = SdNotify.send(Map.of("NOTIFY_SOCKET", "relative.sock"), "READY=1\n");
    assertThat(relative.sent()).isFalse();
    assertThat(relative.detail()).contains("absolute path or @abstract");
    SdNotify.Result nobody = SdNotify.send(Map.of("NOTIFY_SOCKET", dir.resolve("none.sock").toString()), "READY=1\n");
    assertThat(nobody.asked()).isTrue();
    assertThat(nobody.sent()).isFalse();
  }
}
