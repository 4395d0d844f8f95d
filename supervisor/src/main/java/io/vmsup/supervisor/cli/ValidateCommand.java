package io.vmsup.supervisor.cli;

import io.vmsup.config.HostChecks;
import io.vmsup.config.HostFacts;
import io.vmsup.config.QemuArgv;
import io.vmsup.config.SpecResult;
import io.vmsup.config.Violation;
import io.vmsup.supervisor.spec.SpecParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code vmsup validate SPEC|-}: prints one {@code path: message} line per violation on stderr and exits 2 when the
 * spec is invalid; prints {@code ok: NAME} and exits 0 when valid. Problems of this host (host checks) are printed
 * as {@code warning: host: ...} lines on stderr and do not change the exit code: a spec is portable, a host is not;
 * but {@code machine.options} names that the installed QEMU does not know for the machine type are errors (exit 2).
 */
public final class ValidateCommand {

  /** Exit code for an invalid spec or bad usage. */
  public static final int INVALID = 2;

  private ValidateCommand() {
  }

  public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    if (args.length != 1) {
      err.println("usage: vmsup validate SPEC.json|-");
      return INVALID;
    }
    String json;
    try {
      json = SpecInput.read(args[0], stdin);
    } catch (IOException e) {
      err.println("vmsup: cannot read spec: " + e.getMessage());
      return INVALID;
    }
    SpecResult result = io.vmsup.config.VmSpecs.parse(json);
    if (result instanceof SpecResult.Invalid invalid) {
      invalid.violations().forEach(v -> err.println(v.toString()));
      return INVALID;
    }
    var spec = ((SpecResult.Valid) result).spec();
    printHostWarnings(HostChecks.check(spec, HostFacts.probe()), err);
    List<Violation> qemu = qemuProblems(spec, err);
    if (!qemu.isEmpty()) {
      qemu.forEach(v -> err.println(v.toString()));
      return INVALID;
    }
    out.println("ok: " + spec.name());
    return 0;
  }

  /**
   * What the installed QEMU ({@code qemu-system-x86_64} on PATH) lacks for {@code machine.options}: errors, as the
   * spec asks for something that QEMU does not have. Without a QEMU binary nothing is checked (a warning says so).
   */
  static List<Violation> qemuProblems(io.vmsup.config.VmSpec spec, PrintStream err) {
    if (spec.machine().options().isEmpty()) {
      return List.of();
    }
    if (SpecParser.onPath(QemuArgv.BINARY).isEmpty()) {
      err.println("warning: host: machine.options: not checked, " + QemuArgv.BINARY + " is not on PATH");
      return List.of();
    }
    return SpecParser.qemuProblems(spec, QemuArgv.BINARY);
  }

  static void printHostWarnings(Iterable<Violation> violations, PrintStream err) {
    violations.forEach(v -> err.println("warning: host: " + v));
  }
}
