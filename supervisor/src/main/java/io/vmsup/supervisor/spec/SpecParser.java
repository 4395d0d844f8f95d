package io.vmsup.supervisor.spec;

import io.vmsup.config.HostFacts;
import io.vmsup.config.PathRoots;
import io.vmsup.config.Violation;
import io.vmsup.config.VmSpec;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.spec.impl.ConfigSpecParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Turns a VM spec's JSON text into a {@link VmDefinition}: the one place the supervisor parses a spec. */
public interface SpecParser {

  /**
   * The parser of config-model: {@code VmSpecs.parse}, the path roots and the host checks; the definition renders the
   * launch form (the binary, the VM's runtime paths, the default sandbox, its PCI layout).
   *
   * @param host       host facts for the checks and the accelerator choice
   * @param qemuBinary element 0 of every argv
   * @param roots      where a spec's host paths may lie
   */
  static SpecParser create(HostFacts host, String qemuBinary, PathRoots roots) {
    return new ConfigSpecParser(host, qemuBinary, roots);
  }

  /**
   * INVALID with every violation as {@code {"path","message"}}.
   *
   * @param violations never empty
   */
  static VmException invalid(List<Violation> violations) {
    return ConfigSpecParser.invalid(violations);
  }

  /**
   * What the QEMU binary lacks for the spec's {@code machine.options} (nothing when there are none). Blocking: runs
   * the binary once per binary and machine type.
   */
  static List<Violation> qemuProblems(VmSpec spec, String binary) {
    return ConfigSpecParser.qemuProblems(spec, binary);
  }

  /** The binary as given when it names a path, else the first executable of that name on {@code PATH}. */
  static Optional<Path> onPath(String binary) {
    return ConfigSpecParser.onPath(binary);
  }

  /**
   * Parses and validates a spec, including the checks against this host.
   *
   * @throws io.vmsup.supervisor.api.VmException INVALID with every violation as {@code {"path","message"}}
   */
  VmDefinition parse(String json);

  /**
   * Parses a spec stored earlier (daemon start): validated, but not against this host, whose problems (an image
   * deleted while QEMU keeps it open) must not drop the VM from supervision; they show when it next starts.
   */
  default VmDefinition parseStored(String json) {
    return parse(json);
  }

  /**
   * The definition of a spec validated already (a hot-plug edit the caller parsed and checked): no second parse.
   *
   * @param spec the typed spec
   * @param json the same spec's JSON text
   */
  VmDefinition define(VmSpec spec, String json);
}
