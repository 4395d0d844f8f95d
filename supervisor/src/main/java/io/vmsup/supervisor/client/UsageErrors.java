package io.vmsup.supervisor.client;

import java.io.PrintWriter;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.ParameterException;

/**
 * How every {@code vmsup} command reports a usage error: one line naming the command and the problem, picocli's
 * suggestions for a mistyped command or flag, a pointer to {@code --help}, exit code {@value #EXIT}.
 */
public final class UsageErrors implements CommandLine.IParameterExceptionHandler {

  /** The exit code of a usage error. */
  public static final int EXIT = 2;

  /** Labels too terse to say alone. */
  private static final Map<String, String> SPOKEN = Map.of("ID", "device ID");

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    String command = cl.getCommandSpec().qualifiedName(" ");
    err.println(command + ": " + message(e));
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + command + " --help' for more information.");
    err.flush();
    return EXIT;
  }

  static String message(ParameterException e) {
    if (e instanceof CommandLine.MissingParameterException missing && missing.getMissing() != null
        && missing.getMissing().stream().noneMatch(ArgSpec::isOption)) {
      return "needs " + missing.getMissing().stream().map(UsageErrors::spoken).collect(Collectors.joining(" and "));
    }
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
      String first = unmatched.getUnmatched().get(0);
      CommandLine.Model.CommandSpec spec = e.getCommandLine().getCommandSpec();
      if (first.startsWith("-")) {
        return "unknown option '" + first + "'";
      }
      if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
        return "unknown command '" + first + "'";
      }
      return "unexpected argument '" + first + "' (takes " + positionals(spec) + ")";
    }
    return e.getMessage();
  }

  private static String positionals(CommandLine.Model.CommandSpec spec) {
    if (spec.positionalParameters().isEmpty()) {
      return "no arguments";
    }
    return spec.positionalParameters().stream().map(p -> p.arity().min == 0 ? "[" + p.paramLabel() + "]"
        : p.paramLabel()).collect(Collectors.joining(" "));
  }

  /** {@code a TEXT}, {@code a device ID}: how a missing positional parameter is named. */
  private static String spoken(ArgSpec arg) {
    String label = arg.paramLabel();
    return "a " + SPOKEN.getOrDefault(label, label);
  }
}
