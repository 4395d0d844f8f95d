package io.vmsup.supervisor.bench;

import java.io.PrintStream;
import java.util.Arrays;

/** {@code vmsup bench [qmp|launch|all] [ARGS]}: runs benchmarks and prints their tables. */
public final class Bench {

  private Bench() {
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    String which = args.length == 0 ? "all" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (which) {
      case "qmp":
        return BenchQmp.run(out, err);
      case "launch":
        return BenchLaunch.run(rest, out, err);
      case "all":
        int qmp = BenchQmp.run(out, err);
        out.println();
        int launch = BenchLaunch.run(rest, out, err);
        return Math.max(qmp, launch);
      default:
        err.println("vmsup bench: unknown benchmark '" + which + "' (known: qmp, launch, all)");
        return 2;
    }
  }
}
