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
 * <p>The layout also holds the MAC address the daemon gave each NIC whose spec names none ({@code macs}), so a guest
 * sees the same MAC on every start. A layout stored before MACs were assigned has {@code macsFromQemu} set: its
 * NICs without a MAC keep the default QEMU gives them (what their guests always saw) until the daemon has read
 * those back from QEMU and recorded them here.
 *
 * @param devices      address by device id, in assignment order
 * @param ports        planned root ports, in order
 * @param macs         MAC address ({@code 52:54:00:xx:xx:xx}) by NIC id, for NICs whose spec names none
 * @param macsFromQemu true for a layout from before MACs were stored: NICs missing from {@code macs} get QEMU's
 *                     default until recorded
 */
public record PciLayout(Map<String, PciAddress> devices, List<PlannedPort> ports, Map<String, String> macs,
    boolean macsFromQemu) {

  private static final PciLayout EMPTY = new PciLayout(Map.of(), List.of());

  public PciLayout {
    devices = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(devices)));
    ports = List.copyOf(ports);
    macs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(macs)));
  }

  /** Addresses and ports, no MACs assigned yet. */
  public PciLayout(Map<String, PciAddress> devices, List<PlannedPort> ports) {
    this(devices, ports, Map.of(), false);
  }

  /** No addresses, no planned ports. */
  public static PciLayout empty() {
    return EMPTY;
  }

  /** True when nothing has been recorded. */
  public boolean isEmpty() {
    return devices.isEmpty() && ports.isEmpty() && macs.isEmpty();
  }

  /** The MAC the daemon assigned to NIC {@code id}, if any. */
  public Optional<String> mac(String id) {
    return Optional.ofNullable(macs.get(id));
  }

  /** This layout plus NIC {@code id}'s MAC (an assigned NIC keeps its MAC). */
  public PciLayout withMac(String id, String mac) {
    if (macs.containsKey(id)) {
      return this;
    }
    Map<String, String> out = new LinkedHashMap<>(macs);
    out.put(id, mac);
    return new PciLayout(devices, ports, out, macsFromQemu);
  }

  /** This layout with these planned ports (addresses and MACs kept). */
  public PciLayout withPorts(List<PlannedPort> newPorts) {
    return new PciLayout(devices, newPorts, macs, macsFromQemu);
  }

  /** This layout with the MACs QEMU gave its NICs recorded (no longer {@code macsFromQemu}). */
  public PciLayout withRecordedMacs(Map<String, String> recorded) {
    Map<String, String> out = new LinkedHashMap<>(recorded);
    out.putAll(macs);
    return new PciLayout(devices, ports, out, false);
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
    return new PciLayout(out, ports, macs, macsFromQemu);
  }

  /** This layout without the device's address and MAC (a detached device frees its slot). */
  public PciLayout without(String id) {
    Map<String, PciAddress> out = new LinkedHashMap<>(devices);
    out.remove(id);
    Map<String, String> m = new LinkedHashMap<>(macs);
    m.remove(id);
    return new PciLayout(out, ports, m, macsFromQemu);
  }

  /** Every address in use: the devices' and the planned ports'. */
  public List<PciAddress> used() {
    List<PciAddress> out = new ArrayList<>(devices.values());
    ports.forEach(p -> out.add(p.address()));
    return out;
  }
}
