package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmsup.supervisor.deploy.HostTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real command-line client (a JVM per call) against a daemon and a {@code -machine none} QEMU: {@code vm list}
 * is a table, {@code start} and {@code stop --grace} show their progress from the event stream and end with the
 * final work, {@code get --output yaml} is YAML a real parser reads.
 */
class CliTableIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private DaemonFixture daemon;
  private Path work;

  @BeforeEach
  void start() throws Exception {
    daemon = daemons.start();
    work = daemons.dir("work");
  }

  private HostTools.Run vm(String... args) throws Exception {
    List<String> a = new ArrayList<>(List.of("vm"));
    a.addAll(List.of(args));
    a.addAll(List.of("--state-dir", daemons.state().toString()));
    List<String> command = new ArrayList<>(DaemonProcess.javaCommand(a.toArray(new String[0])));
    // the start-up flags ./vmsup gives CLI calls (docs/benchmarks.md)
    command.addAll(1, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    return HostTools.run(work, command);
  }

  @Test
  void tableProgressAndFinalState() throws Exception {
    Path spec = work.resolve("t1.json");
    Files.writeString(spec, "{\"name\": \"t1\", \"machine\": {\"type\": \"none\"}, \"memory\": {\"size\": \"64M\"}}");
    assertThat(vm("create", spec.toString()).exit()).isZero();

    HostTools.Run started = vm("start", "t1");
    assertThat(started.exit()).as(started.output()).isZero();
    assertThat(started.output()).containsSubsequence("t1: DEFINED -> STARTING (start)",
        "t1: STARTING -> RUNNING", "t1: final state RUNNING");

    HostTools.Run list = vm("list");
    assertThat(list.exit()).as(list.output()).isZero();
    List<String> lines = list.output().lines().toList();
    assertThat(lines.get(0)).matches("NAME +STATE +HOST +PID +UPTIME +MEMORY +RESTARTS");
    assertThat(lines.get(1)).matches("t1 +RUNNING +127\\.0\\.0\\.1 +\\d+ +\\d+[smhd](\\d+[smh])? +64M +0");
    assertThat(lines.get(1).indexOf("RUNNING")).isEqualTo(lines.get(0).indexOf("STATE"));
    assertThat(lines.get(1).indexOf("64M")).isEqualTo(lines.get(0).indexOf("MEMORY"));

    HostTools.Run yaml = vm("get", "t1", "--output", "yaml");
    assertThat(yaml.exit()).isZero();
    Path file = work.resolve("t1.yaml");
    Files.writeString(file, yaml.output());
    HostTools.Run parsed = HostTools.run(work, List.of("python3", "-c",
        "import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); print(d['state'], d['spec']['memory']['size'])",
        file.toString()));
    assertThat(parsed.output().strip()).isEqualTo("RUNNING 64M");

    // -machine none has no guest to answer the ACPI request: the ladder moves on to quit after the grace
    HostTools.Run stopped = vm("stop", "t1", "--grace", "1");
    assertThat(stopped.exit()).as(stopped.output()).isZero();
    assertThat(stopped.output()).containsSubsequence("t1: RUNNING -> STOPPING", "t1: stop step: powerdown",
        "t1: stop step: quit", "t1: final state STOPPED");
    assertThat(stopped.output()).contains("\"state\" : \"STOPPED\"");
  }
}
