package io.vmsup.supervisor.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsup.config.HostChecks;
import io.vmsup.config.HostFacts;
import io.vmsup.config.PciPlan;
import io.vmsup.config.PciPlans;
import io.vmsup.config.QemuArgv;
import io.vmsup.config.RenderContext;
import io.vmsup.config.SpecResult;
import io.vmsup.config.VmSpecs;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code vmsup render [--layout] SPEC|-}: prints the QEMU argv as one JSON array (element 0 is
 * {@code qemu-system-x86_64}), rendered for this host ({@code VMSUP_ACCEL} forces the {@code auto} accelerator choice)
 * and without the supervisor's runtime arguments, with the PCI addresses a create of this spec would assign; with
 * {@code --layout} it prints that assignment ({@code PciPlans.toJson}) instead. An invalid spec prints its violations on stderr and exits 2; host problems are
 * printed as warnings on stderr.
 */
public final class RenderCommand {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RenderCommand() {
  }

  public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    boolean layoutOnly = args.length == 2 && args[0].equals("--layout");
    if (args.length != 1 && !layoutOnly) {
      err.println("usage: vmsup render [--layout] SPEC.json|-");
      return ValidateCommand.INVALID;
    }
    String json;
    try {
      json = SpecInput.read(args[args.length - 1], stdin);
    } catch (IOException e) {
      err.println("vmsup: cannot read spec: " + e.getMessage());
      return ValidateCommand.INVALID;
    }
    SpecResult result = VmSpecs.parse(json);
    if (result instanceof SpecResult.Invalid invalid) {
      invalid.violations().forEach(v -> err.println(v.toString()));
      return ValidateCommand.INVALID;
    }
    var spec = ((SpecResult.Valid) result).spec();
    HostFacts host = HostFacts.probe();
    ValidateCommand.printHostWarnings(HostChecks.check(spec, host), err);
    PciPlan plan = PciPlans.create(spec);
    if (!plan.ok()) {
      plan.violations().forEach(v -> err.println(v.toString()));
      return ValidateCommand.INVALID;
    }
    if (layoutOnly) {
      out.println(PciPlans.toJson(plan.layout()));
      return 0;
    }
    List<String> argv = QemuArgv.render(spec, RenderContext.of(host), plan.layout());
    try {
      out.println(JSON.writeValueAsString(argv));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a list of strings always serialises", e);
    }
    return 0;
  }
}
