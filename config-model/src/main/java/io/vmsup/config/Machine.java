package io.vmsup.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The machine: {@code -machine TYPE,...} plus {@code -accel}. Options are typed fields, never a free string.
 *
 * @param type          QEMU machine type such as {@code q35}, {@code pc}, {@code microvm}, {@code none}; default q35
 * @param accel         the accelerator, default {@link Accel#AUTO}
 * @param nvdimm        enable NVDIMM support ({@code nvdimm=on}; pc/q35 only), default false
 * @param smm           System Management Mode (pc/q35 only); absent = QEMU default
 * @param dumpGuestCore include guest memory in QEMU core dumps; absent = QEMU default
 * @param memMerge      allow KSM to merge guest memory; absent = QEMU default
 * @param options       further {@code -machine} properties by name (JSON strings, numbers and booleans as QEMU text:
 *                      {@code true} → {@code on}), in spec order; names are checked against the installed QEMU by
 *                      {@link HostChecks#checkQemu}
 * @param hotplugPorts  q35: spare {@code pcie-root-port}s the daemon plans at create time for later hot-plug, default
 *                      {@value #DEFAULT_HOTPLUG_PORTS}
 */
public record Machine(String type, Accel accel, boolean nvdimm, Optional<Boolean> smm, Optional<Boolean> dumpGuestCore,
    Optional<Boolean> memMerge, Map<String, String> options, int hotplugPorts) {

  /** Spare root ports of a q35 VM when {@code machine.hotplugPorts} is absent. */
  public static final int DEFAULT_HOTPLUG_PORTS = 2;

  public Machine {
    options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /** True for the PC-family types (i440fx {@code pc*} and {@code q35*}). */
  public boolean isPcFamily() {
    return type.equals("q35") || type.startsWith("pc-q35") || type.equals("pc") || type.startsWith("pc-i440fx");
  }

  /** True for q35 types (PCI Express root bus {@code pcie.0}). */
  public boolean isQ35() {
    return type.equals("q35") || type.startsWith("pc-q35");
  }

  /** Name of the root PCI bus QEMU creates: {@code pcie.0} on q35, {@code pci.0} on i440fx, none otherwise. */
  public Optional<String> rootBus() {
    if (isQ35()) {
      return Optional.of("pcie.0");
    }
    return isPcFamily() ? Optional.of("pci.0") : Optional.empty();
  }
}
