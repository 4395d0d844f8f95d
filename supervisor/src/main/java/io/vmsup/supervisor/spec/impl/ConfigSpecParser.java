package io.vmsup.supervisor.spec.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.HostChecks;
import io.vmsup.config.HostFacts;
import io.vmsup.config.PciLayout;
import io.vmsup.config.PathRoots;
import io.vmsup.config.PciPlan;
import io.vmsup.config.PciPlans;
import io.vmsup.config.QemuArgv;
import io.vmsup.config.RenderContext;
import io.vmsup.config.RuntimeArgs;
import io.vmsup.config.SpecResult;
import io.vmsup.config.Violation;
import io.vmsup.config.VmSpec;
import io.vmsup.config.VmSpecs;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.spec.SpecParser;
import io.vmsup.supervisor.spec.VmDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The config-model module behind {@link SpecParser}: {@code VmSpecs.parse}, then the path roots ({@code
 * PathRoots.check}) and {@code HostChecks.check} (blocking: they look at files and devices); the path roots are
 * checked again at every render (a start), so a stored spec whose path left the roots, or that a symbolic link now
 * leads out of them, does not start. The argv is the launch form of {@code QemuArgv.render}
 * ({@link RenderContext#launch}: the configured binary, the VM's runtime paths, the default sandbox) with the PCI
 * addresses a create assigns ({@code PciPlans.create}), executed as it is.
 */
public final class ConfigSpecParser implements SpecParser {

  private final HostFacts host;
  private final String qemuBinary;
  private final PathRoots roots;

  public ConfigSpecParser(HostFacts host, String qemuBinary, PathRoots roots) {
    this.host = host;
    this.qemuBinary = qemuBinary;
    this.roots = roots;
  }

  @Override
  public VmDefinition parse(String text) {
    return parse(text, true);
  }

  @Override
  public VmDefinition parseStored(String text) {
    return parse(text, false);
  }

  @Override
  public VmDefinition define(VmSpec spec, String text) {
    return new VmDefinition(new JsonObject(text), spec, Optional.empty(), (paths, layout) -> argv(spec, paths, layout));
  }

  private VmDefinition parse(String text, boolean hostChecks) {
    SpecResult result = VmSpecs.parse(text);
    if (result instanceof SpecResult.Invalid invalid) {
      throw invalid(invalid.violations());
    }
    VmSpec spec = ((SpecResult.Valid) result).spec();
    List<Violation> hostProblems = new ArrayList<>();
    if (hostChecks) {
      hostProblems.addAll(roots.check(spec));
      // a path outside the roots is not looked at: whether it exists is none of the caller's business
      List<String> outside = hostProblems.stream().map(Violation::path).toList();
      HostChecks.check(spec, host).stream().filter(v -> !outside.contains(v.path())).forEach(hostProblems::add);
      hostProblems.addAll(qemuProblems(spec, qemuBinary));
    }
    if (!hostProblems.isEmpty()) {
      throw invalid(hostProblems);
    }
    return define(spec, text);
  }

  /**
   * The launch form, executed exactly as rendered: what {@code vmsup render} prints for the same settings, with the
   * VM's PCI layout.
   */
  private List<String> argv(VmSpec spec, RuntimeArgs paths, PciLayout layout) {
    List<Violation> outside = roots.check(spec);
    if (!outside.isEmpty()) {
      throw invalid(outside);
    }
    return QemuArgv.render(spec, RenderContext.launch(qemuBinary, host, paths), layout);
  }

  /**
   * What the QEMU binary lacks for the spec's {@code machine.options} (nothing to ask when there are none): a name
   * the machine type does not have is a violation at its path; a binary that cannot answer is one at
   * {@code machine.options}. Blocking: runs the binary once per binary and machine type.
   */
  public static List<Violation> qemuProblems(VmSpec spec, String binary) {
    if (spec.machine().options().isEmpty()) {
      return List.of();
    }
    Optional<Path> path = onPath(binary);
    if (path.isEmpty()) {
      return List.of(new Violation("machine.options", "cannot check the names against QEMU: " + binary
          + " is not an executable file nor on PATH"));
    }
    try {
      return HostChecks.checkQemu(spec, path.get());
    } catch (IOException e) {
      return List.of(new Violation("machine.options", "cannot check the names against QEMU " + path.get() + ": "
          + e.getMessage()));
    }
  }

  /** The binary as given when it names a path, else the first executable of that name on {@code PATH}. */
  public static Optional<Path> onPath(String binary) {
    if (binary.indexOf('/') >= 0) {
      return Optional.of(Path.of(binary)).filter(Files::isExecutable);
    }
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, binary)).filter(Files::isExecutable).findFirst();
  }

  /** INVALID with every violation as {@code {"path","message"}}. */
  public static VmException invalid(List<Violation> violations) {
    JsonArray list = new JsonArray();
    for (Violation v : violations) {
      list.add(new JsonObject().put("path", v.path()).put("message", v.message()));
    }
    return VmException.invalid("invalid VM spec: " + violations.size() + " violation(s)", list);
  }
}
