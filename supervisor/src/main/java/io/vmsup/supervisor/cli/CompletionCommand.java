package io.vmsup.supervisor.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vmsup completion bash|zsh}: a completion script generated from the command tree itself (picocli's
 * {@link AutoComplete}), so it never drifts from the commands. The script serves zsh through bashcompinit.
 */
@Command(name = "completion", description = {"Print a shell completion script (bash or zsh).", "Load it with:",
    "  source <(./vmsup completion bash)     (bash; or save it to /etc/bash_completion.d/vmsup)",
    "  source <(./vmsup completion zsh)      (zsh)"})
final class CompletionCommand implements Callable<Integer> {

  /** The shells served. */
  enum Shell { bash, zsh }

  private final PrintStream out;

  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh")
  Shell shell;

  CompletionCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    String script = AutoComplete.bash("vmsup", spec.root().commandLine());
    if (shell == Shell.zsh) {
      // picocli's script switches zsh to bash-style completion itself; say so where people look first
      out.println("# vmsup completion for zsh (bash-style completion through bashcompinit)");
      out.println("autoload -U +X compinit && compinit");
      out.println("autoload -U +X bashcompinit && bashcompinit");
    }
    out.print(script);
    return 0;
  }
}
