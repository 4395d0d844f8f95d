package io.vmsup.supervisor.client;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code vmsup vm ...} (see {@link VmCli}) and holds the picocli set-up every {@code vmsup} command shares:
 * output streams, usage errors (exit 2, {@link UsageErrors}), failures (exit 1, one line on stderr).
 */
public final class VmCommand {

  private VmCommand() {
  }

  /** {@code vmsup vm ARGS}: the exit code. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return configure(create(env, out, err), out, err).execute(args);
  }

  /** The {@code vm} command tree (also mounted under {@code vmsup}). */
  public static CommandLine create(Map<String, String> env, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new VmCli(env, System.in, out, err));
    cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, help -> VmCli.COMMANDS);
    return cl;
  }

  /** The shared behaviour of every {@code vmsup} command line. */
  public static CommandLine configure(CommandLine cl, PrintStream out, PrintStream err) {
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setAbbreviatedOptionsAllowed(false);
    cl.setParameterExceptionHandler(new UsageErrors());
    cl.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      if (e instanceof IOException) {
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName(" ") + ": "
            + (e.getMessage() != null ? e.getMessage() : e.toString()));
        return 1;
      }
      throw e;
    });
    return cl;
  }
}
