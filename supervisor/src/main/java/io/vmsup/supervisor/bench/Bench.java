package io.vmsup.supervisor.bench;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code vmsup bench [qmp|launch|faults|supervision|scale|api|fleet|guest|libvirt|all] [ARGS]}: runs benchmarks and
 * prints their tables.
 */
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
      case "faults":
        return BenchFaults.run(out, err);
      case "supervision":
        return BenchSupervision.run(out, err);
      case "scale":
        return BenchScale.run(rest, out, err);
      case "api":
        return BenchApi.run(rest, out, err);
      case "fleet":
        return BenchFleet.run(rest, out, err);
      case "guest":
        return BenchGuest.run(out, err);
      case "libvirt":
        return BenchLibvirt.run(rest, out, err);
      case "all":
        int qmp = BenchQmp.run(out, err);
        out.println();
        int launch = BenchLaunch.run(rest, out, err);
        out.println();
        int faults = BenchFaults.run(out, err);
        out.println();
        int supervision = BenchSupervision.run(out, err);
        return Math.max(Math.max(qmp, launch), Math.max(faults, supervision));
      default:
        err.println("vmsup bench: unknown benchmark '" + which
            + "' (known: qmp, launch, faults, supervision, scale, api, fleet, guest, libvirt, all)");
        return 2;
    }
  }
}
