package io.vmsup.supervisor;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Entry point of {@code vmsup.jar}. The {@code ./vmsup} script is the supported way to call it; each
 * sub-command lives in its own class and this one only dispatches.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
      out.print(usage());
      return 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "run":
        return io.vmsup.supervisor.daemon.RunCommand.run(rest, System.getenv(), out, err,
            io.vmsup.supervisor.daemon.SupervisorBinding::start);
      case "vm":
        return io.vmsup.supervisor.client.VmCommand.run(rest, System.getenv(), out, err);
      case "validate": return io.vmsup.supervisor.cli.ValidateCommand.run(rest, System.in, out, err);
      case "render": return io.vmsup.supervisor.cli.RenderCommand.run(rest, System.in, out, err);
      case "bench":
        return io.vmsup.supervisor.bench.Bench.run(rest, out, err);
      default:
        err.println("vmsup: unknown command '" + args[0] + "'");
        err.print(usage());
        return 2;
    }
  }

  static String usage() {
    return String.join("\n",
        "usage: vmsup COMMAND [ARGS]",
        "",
        "commands:",
        "  run [--help]          start the daemon (HTTP API, event-bus bridge, metrics)",
        "  vm COMMAND ...        client of a running daemon: list, get, create, start, stop, ... (vm --help)",
        "  validate SPEC.json|-  check a VM spec; one 'path: message' line per problem, exit 2 if invalid",
        "  render [--layout] SPEC.json|-  print the QEMU argv of a VM spec as a JSON array, with the PCI addresses"
            + " a create would assign (--layout: print those addresses)",
        "  help                  this text",
        "  bench [qmp|launch|all] run the benchmarks and print their tables",
        "",
      "");
  }
}
