package io.vmsup.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmsup.supervisor.deploy.HostTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vmsup completion bash|zsh}: the generated script, sourced into a real bash, completes commands and flags. */
class CompletionTest {

  private static String complete(Path script, String line) throws Exception {
    String words = line.endsWith(" ") ? line + "''" : line;
    HostTools.Run r = HostTools.run(script.getParent(), List.of("bash", "-c", "source " + script + " 2>/dev/null; "
        + "COMP_WORDS=(" + words + "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE='" + line + "'; "
        + "COMP_POINT=${#COMP_LINE}; _complete_vmsup 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\""));
    assertThat(r.exit()).as(r.output()).isZero();
    return r.output();
  }

  @Test
  void bashCompletesCommandsSubcommandsFlagsAndValues(@TempDir Path dir) throws Exception {
    CliUsageTest.Result generated = CliUsageTest.run("completion", "bash");
    assertThat(generated.exit()).isZero();
    Path script = dir.resolve("vmsup.bash");
    Files.writeString(script, generated.out());

    assertThat(complete(script, "vmsup ").lines()).contains("vm", "run", "validate", "render", "completion");
    assertThat(complete(script, "vmsup vm st").lines()).containsExactlyInAnyOrder("start", "stop");
    assertThat(complete(script, "vmsup vm stop --gr").lines()).containsExactly("--grace");
    assertThat(complete(script, "vmsup vm list --output ").lines()).contains("JSON", "YAML", "WIDE", "TABLE");
    assertThat(complete(script, "vmsup completion ").lines()).containsExactlyInAnyOrder("bash", "zsh");
  }

  @Test
  void zshGetsTheSameScriptBehindBashcompinit() {
    CliUsageTest.Result zsh = CliUsageTest.run("completion", "zsh");
    assertThat(zsh.exit()).isZero();
    assertThat(zsh.out()).contains("autoload -U +X bashcompinit && bashcompinit", "complete -F _complete_vmsup");
  }
}
