package io.vmsup.supervisor.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsup.config.HostChecks;
import io.vmsup.config.HostFacts;
import io.vmsup.config.PciPlan;
import io.vmsup.config.PciPlans;
import io.vmsup.config.QemuArgv;
import io.vmsup.config.RenderContext;
import io.vmsup.config.RuntimeArgs;
import io.vmsup.config.SpecResult;
import io.vmsup.config.VmSpec;
import io.vmsup.config.VmSpecs;
import io.vmsup.supervisor.daemon.ConfigLoader;
import io.vmsup.supervisor.daemon.DaemonConfig;
import io.vmsup.supervisor.store.StateStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code vmsup render [--portable|--layout] [SETTINGS] SPEC|-}: prints the QEMU argv as one JSON array, rendered for
 * this host ({@code VMSUP_ACCEL} forces the {@code auto} accelerator choice), with the PCI addresses a create of this
 * spec would assign. By default the launch form: exactly what {@code vmsup run} executes for this spec, read from the
 * same settings (config file, environment, flags: the state directory names the runtime paths, {@code qemu} the
 * binary). {@code --portable} prints the portable form (binary {@code qemu-system-x86_64}, no runtime paths, no
 * default sandbox); {@code --layout} prints the PCI assignment ({@code PciPlans.toJson}) instead. An invalid spec
 * prints its violations on stderr and exits 2; host problems are printed as warnings on stderr.
 */
public final class RenderCommand {

  /** The flag that selects the portable form. */
  public static final String PORTABLE = "--portable";
  /** The flag that prints the PCI layout instead of the argv. */
  public static final String LAYOUT = "--layout";

  private static final ObjectMapper JSON = new ObjectMapper();

  private RenderCommand() {
  }

  /** As {@link #run(String[], Map, InputStream, PrintStream, PrintStream)} with this process's environment. */
  public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    return run(args, System.getenv(), stdin, out, err);
  }

  public static int run(String[] args, Map<String, String> env, InputStream stdin, PrintStream out,
      PrintStream err) {
    ConfigLoader.Result settings = ConfigLoader.load(List.of(args), env, true);
    List<String> rest = new ArrayList<>(settings.rest());
    boolean portable = rest.remove(PORTABLE);
    boolean layoutOnly = rest.remove(LAYOUT);
    if (rest.size() != 1 || settings.config() == null) {
      settings.errors().forEach(e -> err.println("vmsup render: " + e));
      err.print(usage());
      return ValidateCommand.INVALID;
    }
    String json;
    try {
      json = SpecInput.read(rest.get(0), stdin);
    } catch (IOException e) {
      err.println("vmsup: cannot read spec: " + e.getMessage());
      return ValidateCommand.INVALID;
    }
    SpecResult result = VmSpecs.parse(json);
    if (result instanceof SpecResult.Invalid invalid) {
      invalid.violations().forEach(v -> err.println(v.toString()));
      return ValidateCommand.INVALID;
    }
    VmSpec spec = ((SpecResult.Valid) result).spec();
    HostFacts host = HostFacts.probe(env);
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
    List<String> argv = QemuArgv.render(spec, portable ? RenderContext.portable(host)
        : launchContext(settings.config(), host, spec.name()), plan.layout());
    try {
      out.println(JSON.writeValueAsString(argv));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a list of strings always serialises", e);
    }
    return 0;
  }

  /** The context the daemon configured by {@code config} renders a VM with. */
  public static RenderContext launchContext(DaemonConfig config, HostFacts host, String vm) {
    return RenderContext.launch(config.qemu(), host, RuntimeArgs.in(StateStore.vmDir(config.stateDir(), vm)));
  }

  static String usage() {
    return String.join("\n",
        "usage: vmsup render [--layout] SPEC.json|-",
        "       vmsup render [--portable|--layout] [--config FILE] [--state-dir DIR] [--qemu BINARY] SPEC.json|-",
        "Prints the QEMU argv as a JSON array, with the PCI addresses a create would assign. Default: the launch",
        "form, exactly what 'vmsup run' with the same settings (config file, VMSUP_* environment, flags; see",
        "'vmsup run --help') executes for this spec.",
        "  --portable   the portable form: binary qemu-system-x86_64, no runtime paths, no default sandbox",
        "  --layout     print the PCI addresses a create would assign (PciPlans JSON) instead of the argv",
        "");
  }
}
