package io.vmsup.supervisor.bench;

import java.io.PrintStream;

/** {@code vmsup bench [qmp|all]}: runs benchmarks and prints their tables. */
public final class Bench {

  private Bench() {
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    String which = args.length == 0 ? "all" : args[0];
    switch (which) {
      case "qmp":
      case "all":
        return BenchQmp.run(out, err);
      default:
        err.println("vmsup bench: unknown benchmark '" + which + "' (known: qmp, all)");
        return 2;
    }
  }
}
