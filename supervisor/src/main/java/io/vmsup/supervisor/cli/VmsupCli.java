package io.vmsup.supervisor.cli;

import io.vmsup.supervisor.client.VmCommand;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code vmsup} command tree on picocli: every command has {@code --help}, strict arity and typed values (a
 * wrong call is a usage error, exit 2) and a generated shell completion ({@code vmsup completion bash|zsh}).
 * {@code run} and {@code bench} keep their own argument parsers and {@code --help} (the daemon's settings come from
 * flags, variables and a config file alike); picocli hands their arguments over untouched.
 */
@Command(name = "vmsup", description = "A reactive QEMU VM supervisor.", synopsisSubcommandLabel = "COMMAND",
    footer = {"", "'vmsup COMMAND --help' (or 'vmsup help COMMAND') shows a command's own help."})
public final class VmsupCli implements java.util.concurrent.Callable<Integer> {

  @Spec
  CommandSpec spec;

  @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Runs one {@code vmsup} command line; returns the exit code. */
  public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    return create(env, in, out, err).execute(args);
  }

  /** The whole tree, configured. */
  public static CommandLine create(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    CommandLine root = new CommandLine(new VmsupCli());
    root.addSubcommand("run", passThrough(new PassThrough.Run(env, out, err)));
    root.addSubcommand("vm", VmCommand.create(env, out, err));
    root.addSubcommand("image", io.vmsup.supervisor.client.ImageCli.create(env, out, err));
    root.addSubcommand("network", io.vmsup.supervisor.client.NetworkCli.create(env, out, err));
    root.addSubcommand("hosts", io.vmsup.supervisor.client.HostsCli.create(env, out, err));
    root.addSubcommand("token", passThrough(new TokenCli(env, out, err)));
    root.addSubcommand("validate", new CommandLine(new SpecCli.Validate(in, out, err)));
    root.addSubcommand("render", new CommandLine(new SpecCli.Render(in, out, err)));
    root.addSubcommand("cluster", ClusterCli.create(out, err));
    root.addSubcommand("bench", passThrough(new PassThrough.Bench(out, err)));
    root.addSubcommand("completion", new CommandLine(new CompletionCommand(out)));
    root.addSubcommand("test", new CommandLine(new PassThrough.Test(err)));
    root.addSubcommand("help", new CommandLine(new CommandLine.HelpCommand()));
    return VmCommand.configure(root, out, err);
  }

  private static CommandLine passThrough(Object command) {
    CommandLine cl = new CommandLine(command);
    cl.setUnmatchedOptionsArePositionalParams(true);
    cl.setStopAtPositional(true);
    return cl;
  }
}
