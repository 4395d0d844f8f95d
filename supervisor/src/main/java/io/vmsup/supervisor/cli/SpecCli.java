package io.vmsup.supervisor.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
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
      "By default the launch form: exactly what 'vmsup run' with the same settings (--config, VMSUP_* variables,",
      "--state-dir, --qemu) executes for this spec. As rendered for this host (VMSUP_ACCEL=kvm|tcg forces the",
      "'auto' accelerator), with the PCI addresses a create would assign."})
  static final class Render implements Callable<Integer> {
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;
    @Option(names = "--layout", description = "print the PCI addresses a create would assign instead")
    boolean layout;
    @Option(names = "--portable", description = "the portable form: binary qemu-system-x86_64, no runtime paths "
        + "(sockets, pid file, logs), no default sandbox")
    boolean portable;
    @Option(names = "--config", paramLabel = "FILE", description = "the daemon's JSON config file (as for run)")
    String config;
    @Option(names = "--state-dir", paramLabel = "DIR", description = "the daemon's state directory (as for run)")
    String stateDir;
    @Option(names = "--qemu", paramLabel = "BINARY", description = "the daemon's QEMU binary (as for run)")
    String qemu;
    @Parameters(paramLabel = "SPEC.json|-", description = "the spec file, or - for standard input")
    String spec;

    Render(InputStream in, PrintStream out, PrintStream err) {
      this.in = in;
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      List<String> args = new ArrayList<>();
      if (layout) {
        args.add(RenderCommand.LAYOUT);
      }
      if (portable) {
        args.add(RenderCommand.PORTABLE);
      }
      for (String[] setting : new String[][] {{"--config", config}, {"--state-dir", stateDir}, {"--qemu", qemu}}) {
        if (setting[1] != null) {
          args.add(setting[0]);
          args.add(setting[1]);
        }
      }
      args.add(spec);
      return RenderCommand.run(args.toArray(String[]::new), in, out, err);
    }
  }
}
