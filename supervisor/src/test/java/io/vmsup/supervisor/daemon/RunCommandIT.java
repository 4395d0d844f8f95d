package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.client.ApiClient;
import io.vmsup.supervisor.deploy.HostTools;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code vmsup run} and {@code vmsup vm} as real processes: health, the token file, SIGTERM with the VM left
 * running, and a second daemon re-attaching it.
 */
class RunCommandIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private DaemonProcess daemon() throws Exception {
    return daemons.process();
  }

  @Test
  void sigtermLeavesVmsRunningAndASecondStartReattaches() throws Exception {
    DaemonProcess first = daemon();
    String url = first.url();
    assertThat(first.text()).contains("transport: native epoll");
    Path tokenFile = daemons.state().resolve("token");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
    assertThat(Files.readString(tokenFile).trim()).matches("[0-9a-f]{64}");
    assertThat(first.text()).contains(tokenFile.toString());

    ApiClient open = new ApiClient(url, "none");
    assertThat(open.send("GET", "/health", null).body()).contains("UP");
    HostTools.Run noName = vm("start");
    assertThat(noName.exit()).isEqualTo(2);

    Path spec = daemons.state().resolve("../spec-rc1.json").normalize();
    Files.writeString(spec, TestSpecs.machineNone("rc1").encode());
    assertThat(vm("create", spec.toString()).exit()).isZero();
    HostTools.Run started = vm("start", "rc1", "--quiet");
    assertThat(started.exit()).as(started.output()).isZero();
    long vmPid = new JsonObject(started.output()).getLong("pid");

    HostTools.Run missing = vm("get", "nope");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.output()).contains("\"status\" : 404");

    int exit = first.terminate();
    assertThat(exit).as(first.text()).isIn(0, 143);
    assertThat(first.text()).as("exit " + exit).contains("vmsup: stopped");
    assertThat(ProcessHandle.of(vmPid).map(ProcessHandle::isAlive)).as("QEMU outlives the daemon").hasValue(true);

    DaemonProcess second = daemon();
    ApiClient api = new ApiClient(second.url(), Files.readString(tokenFile).trim());
    JsonObject vm = new JsonObject(api.send("GET", "/v1/vms/rc1", null).body());
    assertThat(vm.getString("state")).isEqualTo("RUNNING");
    assertThat(vm.getLong("pid")).isEqualTo(vmPid);
    HostTools.Run listed = vm("list", "--output", "json");
    assertThat(listed.output()).contains("\"rc1\"");

    // `vm events NAME` follows the VM's events until it is interrupted
    List<String> follow = new ArrayList<>(List.of("vm", "events", "rc1", "--state-dir", daemons.state().toString()));
    Process events = new ProcessBuilder(DaemonProcess.javaCommand(follow.toArray(new String[0])))
        .redirectErrorStream(true).start();
    // a bound on the blocking reads below: ending the client ends its output
    CompletableFuture.delayedExecutor(60, TimeUnit.SECONDS).execute(() -> events.toHandle().destroy());
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(events.getInputStream(),
        StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).isEqualTo("vmsup vm: following events of rc1 (Ctrl-C to stop)");
      assertThat(vm("kill", "rc1").exit()).isZero();
      String line = lines.readLine();
      while (line != null && !line.contains("\"to\":\"STOPPED\"")) {
        line = lines.readLine();
      }
      assertThat(line).as("a STOPPED state event").isNotNull();
      assertThat(new JsonObject(line).getString("vm")).isEqualTo("rc1");
    } finally {
      events.toHandle().destroy();
      events.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void helpListsEverySettingAndBadSettingsFailFast() throws Exception {
    HostTools.Run help = HostTools.run(daemons.state(), DaemonProcess.javaCommand("run", "--help"));
    assertThat(help.exit()).isZero();
    for (Setting s : Setting.values()) {
      assertThat(help.output()).contains(s.flag(), s.env());
    }
    HostTools.Run bad = HostTools.run(daemons.state(), DaemonProcess.javaCommand("run", "--http-port", "http"));
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.output()).contains("httpPort");
  }

  @Test
  void anUnusableStateDirectoryFailsTheStartWithItsReason() throws Exception {
    Path file = daemons.state().resolve("not-a-directory");
    Files.writeString(file, "x");
    HostTools.Run run = HostTools.run(daemons.state(), DaemonProcess.javaCommand("run", "--http-port", "0", "--state-dir",
        file.resolve("data").toString()));
    assertThat(run.exit()).as(run.output()).isEqualTo(1);
    assertThat(run.output()).contains("vmsup run: cannot start", "not-a-directory");
  }

  @Test
  void withoutTheNativeTransportTheDaemonRefusesToStart() throws Exception {
    List<String> command = new ArrayList<>(DaemonProcess.javaCommand("run", "--http-port", "0", "--state-dir",
        daemons.state().toString()));
    int cp = command.indexOf("-cp") + 1;
    String withoutEpoll = String.join(":", java.util.Arrays.stream(command.get(cp).split(":"))
        .filter(entry -> !entry.contains("netty-transport-native-epoll")).toList());
    assertThat(withoutEpoll).isNotEqualTo(command.get(cp));
    command.set(cp, withoutEpoll);
    HostTools.Run run = HostTools.run(daemons.state(), command);
    assertThat(run.exit()).as(run.output()).isEqualTo(1);
    assertThat(run.output()).contains("native epoll transport is required", "unavailableNativeTransportCause");
    assertThat(run.output()).doesNotContain("listening on");
  }

  private HostTools.Run vm(String... args) throws Exception {
    List<String> a = new ArrayList<>(List.of("vm"));
    a.addAll(List.of(args));
    a.addAll(List.of("--state-dir", daemons.state().toString()));
    return HostTools.run(daemons.state(), DaemonProcess.javaCommand(a.toArray(new String[0])));
  }
}
