package io.vmsup.supervisor.spec;

import io.vertx.core.json.JsonObject;
import io.vmsup.config.PciLayout;
import io.vmsup.config.RuntimeArgs;
import io.vmsup.config.Supervision;
import io.vmsup.config.VmSpec;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A validated VM: config-model's typed, immutable {@link VmSpec} (parsed once, carried from then on: its name and
 * supervision rules are the spec's own), the same spec as JSON (for views and {@code spec.json}), the daemon-owned PCI layout stored beside the spec ({@code pci.json}; empty for a VM whose layout was never
 * recorded: it is rendered without addresses and QEMU's placement is recorded at its next start), and the renderer
 * of its full QEMU argv in the launch form (binary first, exactly what runs). Rendering may block (host probing is done once beforehand): call it on a
 * worker.
 */
public record VmDefinition(JsonObject json, VmSpec spec, Optional<PciLayout> layout,
    BiFunction<RuntimeArgs, PciLayout, List<String>> argv) {

  /** The VM's name. */
  public String name() {
    return spec.name();
  }

  /** The spec's supervision rules. */
  public Supervision rules() {
    return spec.supervision();
  }

  /** The argv for these runtime paths, with this definition's PCI addresses. */
  public List<String> render(RuntimeArgs paths) {
    return argv.apply(paths, layout.orElse(PciLayout.empty()));
  }

  /** The same spec with this layout. */
  public VmDefinition withLayout(PciLayout pci) {
    return new VmDefinition(json, spec, Optional.of(pci), argv);
  }
}
