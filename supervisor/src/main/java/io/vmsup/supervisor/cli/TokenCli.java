package io.vmsup.supervisor.cli;

import io.vmsup.supervisor.daemon.TokenCommand;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vmsup token rotate [--scope admin|read]}: its arguments go untouched to {@link TokenCommand}. */
@Command(name = "token", description = {"Replace a bearer token without restarting the daemon.",
    "token rotate [--scope admin|read] [--state-dir DIR | --config FILE]; 'vmsup token --help' for more."})
final class TokenCli implements Callable<Integer> {

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  @Parameters(paramLabel = "ARG", arity = "0..*", description = "rotate, --scope admin|read, daemon settings")
  List<String> args = new ArrayList<>();

  TokenCli(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    return TokenCommand.run(args.toArray(new String[0]), env, out, err);
  }
}
