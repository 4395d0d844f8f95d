package io.vmsup.supervisor.cli;

import io.vmsup.supervisor.daemon.RunCommand;
import io.vmsup.supervisor.daemon.SupervisorBinding;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Commands whose arguments picocli hands over untouched to their own parser (which also answers --help). */
final class PassThrough {

  private PassThrough() {
  }

  @Command(name = "run", description = {"Start the daemon (HTTP API, event-bus bridge, metrics).",
      "'vmsup run --help' lists every setting with its default and environment variable."})
  static final class Run implements Callable<Integer> {
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    @Parameters(paramLabel = "SETTING", arity = "0..*", description = "--flag value ... (see run --help)")
    List<String> args = new ArrayList<>();

    Run(Map<String, String> env, PrintStream out, PrintStream err) {
      this.env = env;
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      return RunCommand.run(args.toArray(new String[0]), env, out, err, SupervisorBinding::start);
    }
  }

  @Command(name = "bench", description = {"Run the benchmarks and print their tables.",
      "bench [qmp|launch|faults|supervision|scale|api|fleet|guest|libvirt|all] [ARGS]"})
  static final class Bench implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;
    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;
    @Parameters(paramLabel = "ARG", arity = "0..*",
        description = "qmp, launch, faults, supervision, scale, api, fleet, guest or all (default), and their options")
    List<String> args = new ArrayList<>();

    Bench(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      return io.vmsup.supervisor.bench.Bench.run(args.toArray(new String[0]), out, err);
    }
  }

  @Command(name = "test", description = "Run the whole test suite (a ./vmsup script command).")
  static final class Test implements Callable<Integer> {
    private final PrintStream err;
    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;
    @Parameters(paramLabel = "MAVEN-ARG", arity = "0..*", description = "passed on to mvn verify")
    List<String> args = new ArrayList<>();

    Test(PrintStream err) {
      this.err = err;
    }

    @Override
    public Integer call() {
      err.println("vmsup test: a command of the ./vmsup script (it runs Maven), not of vmsup.jar");
      return 2;
    }
  }
}
