package io.vmsup.supervisor.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vmsup validate} and {@code vmsup render} on picocli; the work is {@link ValidateCommand}'s and {@link RenderCommand}'s. */
final class SpecCli {

  private SpecCli() {
  }

  @Command(name = "validate", description = {"Check a VM spec; exit 2 when invalid.",
      "Prints one 'path: message' line per problem on stderr, or 'ok: NAME'. Problems of this host are warnings."})
  static final class Validate implements Callable<Integer> {
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;
    @Parameters(paramLabel = "SPEC.json|-", description = "the spec file, or - for standard input")
    String spec;

    Validate(InputStream in, PrintStream out, PrintStream err) {
      this.in = in;
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      return ValidateCommand.run(new String[] {spec}, in, out, err);
    }
  }

  @Command(name = "render", description = {"Print the QEMU argv of a VM spec as a JSON array.",
      "As rendered for this host (VMSUP_ACCEL=kvm|tcg forces the 'auto' accelerator), with the PCI addresses a",
      "create would assign."})
  static final class Render implements Callable<Integer> {
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;
    @Option(names = "--layout", description = "print the PCI addresses a create would assign instead")
    boolean layout;
    @Parameters(paramLabel = "SPEC.json|-", description = "the spec file, or - for standard input")
    String spec;

    Render(InputStream in, PrintStream out, PrintStream err) {
      this.in = in;
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      return RenderCommand.run(layout ? new String[] {"--layout", spec} : new String[] {spec}, in, out, err);
    }
  }
}
