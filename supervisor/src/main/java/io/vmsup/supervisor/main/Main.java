package io.vmsup.supervisor.main;

import io.vmsup.supervisor.cli.VmsupCli;
import io.vmsup.supervisor.daemon.RunCommand;
import io.vmsup.supervisor.daemon.SupervisorBinding;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

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
    Map<String, String> env = System.getenv();
    if (isPlainRun(args)) {
      // the daemon: picocli hands run's arguments over untouched anyway, and building the whole command tree
      // would load picocli and every client command (~230 classes) into a process that never uses them again
      return RunCommand.run(Arrays.copyOfRange(args, 1, args.length), env, out, err, SupervisorBinding::start);
    }
    return VmsupCli.run(args, env, System.in, out, err);
  }

  /**
   * {@code run} with arguments the command tree would pass on unchanged: picocli would drop a {@code --} and
   * expand an {@code @file}, so such a call still goes through the tree.
   */
  static boolean isPlainRun(String[] args) {
    if (args.length == 0 || !"run".equals(args[0])) {
      return false;
    }
    for (int i = 1; i < args.length; i++) {
      if ("--".equals(args[i]) || args[i].startsWith("@")) {
        return false;
      }
    }
    return true;
  }
}
