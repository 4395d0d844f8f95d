package io.vmsup.config;

import io.vmsup.config.impl.HostChecker;
import io.vmsup.config.impl.MachineProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a valid spec against a host: things pure validation cannot know (KVM, {@code /dev/vhost-net},
 * {@code /dev/vhost-vsock}, hugepages, that files and VFIO devices exist). Kept apart so that {@link VmSpecs#parse}
 * stays a pure function of its input.
 */
public final class HostChecks {

  private HostChecks() {
  }

  /**
   * Every reason the spec cannot start on this host, each with its JSON path; empty when it can. Reads the file
   * system (blocking).
   */
  public static List<Violation> check(VmSpec spec, HostFacts host) {
    return HostChecker.check(spec, host);
  }

  /**
   * What the installed QEMU lacks for this spec: a machine type it does not know ({@code machine.type}) or a
   * {@code machine.options} property that machine type does not have ({@code machine.options.NAME}). Unlike
   * {@link #check} these are errors of the spec for that QEMU, not passing states of the host. Runs
   * {@code BINARY -machine TYPE,help} once per binary and type (cached); blocking.
   *
   * @param binary the QEMU binary (a path; resolve a bare name on {@code PATH} first)
   * @throws IOException when the binary cannot be run or does not answer
   */
  public static List<Violation> checkQemu(VmSpec spec, Path binary) throws IOException {
    List<Violation> out = new ArrayList<>();
    Machine m = spec.machine();
    Optional<Set<String>> known = MachineProperties.of(binary, m.type());
    if (known.isEmpty()) {
      out.add(new Violation("machine.type", "QEMU " + binary + " has no machine type \"" + m.type() + "\""));
      return out;
    }
    for (String name : m.options().keySet()) {
      if (!known.get().contains(name) && !MachineProperties.isLegacyAccel(name)) {
        out.add(new Violation("machine.options." + name, "machine type \"" + m.type() + "\" of QEMU " + binary
            + " has no property \"" + name + "\"; it has: " + String.join(", ", known.get())));
      }
    }
    return out;
  }
}
