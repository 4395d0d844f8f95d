package io.vmsup.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line's usage errors (issue 16: each one named, exit 2, before any request) and its help: every
 * command and sub-command answers {@code --help} with its own usage.
 */
class CliUsageTest {

  record Result(int exit, String out, String err) {
  }

  /** No daemon anywhere: the URL names a closed port, so a request that slips through fails differently (exit 1). */
  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = VmsupCli.run(args, Map.of("VMSUP_URL", "http://127.0.0.1:9", "VMSUP_TOKEN", "t"),
        new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void assertUsageError(Result r, String... message) {
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(message);
    assertThat(r.err()).doesNotContain("cannot connect", "token");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aSecondNameIsAnUnexpectedArgument() {
    assertUsageError(run("vm", "start", "a", "b"), "vmsup vm start: unexpected argument 'b' (takes NAME)");
  }

  @Test
  void aFlagWhereAValueBelongsIsNamedNotTakenAsTheValue() {
    assertUsageError(run("vm", "stop", "X", "--grace", "--state-dir", "d"),
        "vmsup vm stop: Expected parameter for option '--grace' but found '--state-dir'");
  }

  @Test
  void aValueOfTheWrongTypeIsNamed() {
    assertUsageError(run("vm", "stop", "X", "--grace", "abc"), "Invalid value for option '--grace': 'abc' is not an int");
    assertUsageError(run("vm", "list", "--output", "xml"), "Invalid value for option '--output'", "but was 'xml'");
  }

  @Test
  void unknownFlagsAndCommandsAreNamedWithSuggestions() {
    assertUsageError(run("vm", "list", "--bogus"), "vmsup vm list: unknown option '--bogus'");
    assertUsageError(run("vm", "lst"), "vmsup vm: unknown command 'lst'", "Did you mean");
    assertUsageError(run("frobnicate"), "vmsup: unknown command 'frobnicate'");
  }

  @Test
  void aMissingSpecFileSaysWhatIsWrongWithIt() {
    assertUsageError(run("vm", "create", "/nonexistent.json"), "vmsup vm create: cannot read /nonexistent.json: no such file");
    assertUsageError(run("vm", "create", "/"), "vmsup vm create: cannot read /: it is a directory");
  }

  @Test
  void missingArgumentsAreNamed() {
    assertUsageError(run("vm", "get"), "vmsup vm get: needs a NAME");
    assertUsageError(run("vm", "send", "x"), "vmsup vm send: needs a TEXT");
    assertUsageError(run("validate"), "vmsup validate: needs a SPEC.json|-");
    assertUsageError(run("completion"), "vmsup completion: needs a SHELL");
    assertUsageError(run("completion", "fish"), "expected one of [bash, zsh]");
    assertUsageError(run("vm", "qmp", "x", "query-status", "[1]"), "vmsup vm qmp: ARGUMENTS-JSON: ",
        "a JSON object is required, not an array");
    assertUsageError(run("vm", "qmp", "x", "query-status", "{"), "vmsup vm qmp: ARGUMENTS-JSON: invalid JSON");
  }

  @Test
  void hostsUsageErrorsAreNamedBeforeAnyRequest() {
    assertUsageError(run("hosts", "cordon"), "vmsup hosts cordon: needs a HOST");
    assertUsageError(run("hosts", "uncordon", "a", "b"), "vmsup hosts uncordon: unexpected argument 'b' (takes HOST)");
    assertUsageError(run("hosts", "--json", "--output", "yaml"), "vmsup hosts: --json and --output yaml contradict");
    assertUsageError(run("hosts", "--output", "wide"), "vmsup hosts: --output wide is for 'vm list'");
    assertUsageError(run("hosts", "drain"), "vmsup hosts: unknown command 'drain'");
    assertUsageError(run("hosts", "--all"), "vmsup hosts: unknown option '--all'");
    // a correct call gets as far as the (absent) daemon: exit 1, naming the URL
    Result r = run("hosts");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("vmsup hosts: cannot connect to the daemon at http://127.0.0.1:9");
    Result help = run("hosts", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).startsWith("Usage: vmsup hosts ").contains("--json", "cordon HOST", "uncordon HOST");
  }

  @Test
  void aSubcommandsHelpIsItsOwn() {
    Result r = run("vm", "start", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("Usage: vmsup vm start ").contains("NAME", "--quiet").doesNotContain("detach");
    assertThat(run("vm", "help", "stop").out()).startsWith("Usage: vmsup vm stop ").contains("--grace=SECONDS");
  }

  @Test
  void everyCommandAndSubcommandAnswersHelp() {
    List<String> paths = new ArrayList<>();
    collect(VmsupCli.create(Map.of(), System.in, System.out, System.err), "", paths);
    assertThat(paths).contains("vm", "vm stop", "vm list", "completion", "validate", "bench", "run");
    for (String path : paths) {
      List<String> args = new ArrayList<>(List.of(path.split(" ")));
      args.add("--help");
      Result r = run(args.toArray(new String[0]));
      assertThat(r.exit()).as(path + " --help: " + r.err()).isZero();
      assertThat(r.out().toLowerCase()).as(path).startsWith("usage: vmsup " + path);
    }
  }

  @Test
  void theVmCommandListNamesEverySubcommand() {
    String help = run("vm", "--help").out();
    CommandLine vm = VmsupCli.create(Map.of(), System.in, System.out, System.err).getSubcommands().get("vm");
    for (String name : vm.getSubcommands().keySet()) {
      assertThat(help).as(name).containsPattern("(?m)^  (\\S+\\|)*" + name + "[ |]");
    }
  }

  private static void collect(CommandLine cl, String prefix, List<String> paths) {
    for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
      String path = (prefix + " " + e.getKey()).trim();
      if (!e.getKey().equals("help")) {
        paths.add(path);
      }
      collect(e.getValue(), path, paths);
    }
  }
}
