package io.vmsup.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The daemon-owned PCI layout of one VM: the address of every PCI device of its spec (by device id) and the root
 * ports the daemon planned for hot-plug. It is stored beside the user's spec, never inside it, and an address once
 * in it is never changed: rendering emits {@code bus=...,addr=...} from it, so the guest sees every device at the
 * same place on every start, after a hot-plug and after a restart of the daemon. {@link #empty()} is the layout of a
 * VM whose layout has not been recorded yet (rendered without addresses: QEMU places devices in argument order).
 *
 * @param devices address by device id, in assignment order
 * @param ports   planned root ports, in order
 */
public record PciLayout(Map<String, PciAddress> devices, List<PlannedPort> ports) {

  private static final PciLayout EMPTY = new PciLayout(Map.of(), List.of());

  public PciLayout {
    devices = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(devices)));
    ports = List.copyOf(ports);
  }

  /** No addresses, no planned ports. */
  public static PciLayout empty() {
    return EMPTY;
  }

  /** True when nothing has been recorded. */
  public boolean isEmpty() {
    return devices.isEmpty() && ports.isEmpty();
  }

  /** The device's address, if assigned. */
  public Optional<PciAddress> address(String id) {
    return Optional.ofNullable(devices.get(id));
  }

  /** This layout plus one device's address (replacing none: an assigned id keeps its address). */
  public PciLayout with(String id, PciAddress address) {
    if (devices.containsKey(id)) {
      return this;
    }
    Map<String, PciAddress> out = new LinkedHashMap<>(devices);
    out.put(id, address);
    return new PciLayout(out, ports);
  }

  /** This layout without the device's address (a detached device frees its slot). */
  public PciLayout without(String id) {
    Map<String, PciAddress> out = new LinkedHashMap<>(devices);
    out.remove(id);
    return new PciLayout(out, ports);
  }

  /** Every address in use: the devices' and the planned ports'. */
  public List<PciAddress> used() {
    List<PciAddress> out = new ArrayList<>(devices.values());
    ports.forEach(p -> out.add(p.address()));
    return out;
  }
}
