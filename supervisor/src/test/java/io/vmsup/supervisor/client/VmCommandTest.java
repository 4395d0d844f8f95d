package io.vmsup.supervisor.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code vmsup vm} without a daemon: help, and usage errors found before any request. */
class VmCommandTest {

  private record Result(int exit, String out, String err) {
  }

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // a URL and token given, so nothing is looked up in a state directory; nothing listens there
    int exit = VmCommand.run(args, Map.of("VMSUP_URL", "http://127.0.0.1:9", "VMSUP_TOKEN", "t"),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpInEveryFormPrintsTheUsageOfEveryCommandAndSucceeds() {
    for (String[] args : new String[][] {{}, {"help"}, {"--help"}, {"-h"}}) {
      Result r = run(args);
      assertThat(r.exit()).as(String.join(" ", args)).isZero();
      assertThat(r.err()).isEmpty();
      assertThat(r.out()).contains("list", "get NAME", "create FILE|-", "start|kill|pause|resume|reset NAME",
          "stop NAME [--grace SECONDS]", "delete NAME", "log NAME [--lines N]", "qmp NAME COMMAND",
          "events [NAME]", "console NAME [--lines N]", "send NAME TEXT [--raw]", "attach NAME DEVICE.json|-",
          "detach NAME ID [--timeout SECONDS]", "help");
    }
  }

  @Test
  void missingArgumentsAreUsageErrors() {
    assertThat(run("send", "vm1").err()).contains("send: needs a TEXT");
    assertThat(run("send", "vm1").exit()).isEqualTo(2);
    assertThat(run("attach", "vm1").err()).contains("attach: needs a DEVICE.json");
    assertThat(run("detach", "vm1").err()).contains("detach: needs a device ID");
    assertThat(run("console").exit()).isEqualTo(2);
  }

  @Test
  void anAbsentDaemonIsNamedWithItsUrl() {
    Result r = run("list");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("cannot connect to the daemon at http://127.0.0.1:9");
  }
}
