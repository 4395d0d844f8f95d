package io.vmsup.supervisor.bench;

import java.io.PrintStream;
import java.util.Arrays;

/** {@code vmsup bench [launch|...]}: dispatches to one benchmark class per sub-command. */
public final class BenchCommand {

  private BenchCommand() {
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    String which = args.length == 0 ? "launch" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (which) {
      case "launch":
        return BenchLaunch.run(rest, out, err);
      default:
        err.println("vmsup bench: unknown benchmark '" + which + "' (known: launch)");
        return 2;
    }
  }
}
