package io.vmsup.supervisor.main;

import io.vmsup.supervisor.cli.VmsupCli;
import java.io.PrintStream;

/**
 * Entry point of {@code vmsup.jar}. The {@code ./vmsup} script is the supported way to call it; the command tree is
 * {@link VmsupCli}'s.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return VmsupCli.run(args, System.getenv(), System.in, out, err);
  }
}
