package io.vmsup.config;

import io.vmsup.config.impl.MacPlanner;
import io.vmsup.config.impl.PciLayoutJson;
import io.vmsup.config.impl.PciPlanner;
import java.util.Set;

/**
 * Stable PCI addresses. A VM's {@link PciLayout} is made once, when it is created ({@link #create}), stored by the
 * daemon beside the user's spec, and only ever grows by hot-plug ({@link #attach}) or shrinks by detach
 * ({@link PciLayout#without}); an address is never changed. Everything here is pure and deterministic: the same spec
 * gives the same layout on every host.
 */
public final class PciPlans {

  private PciPlans() {
  }

  /**
   * The layout of a new VM: user-pinned addresses ({@code addr}) as given, every other PCI device on the lowest
   * free slot of its bus in render order, and on q35 {@code machine.hotplugPorts} spare root ports.
   */
  public static PciPlan create(VmSpec spec) {
    return create(spec, Set.of());
  }

  /**
   * As {@link #create(VmSpec)}, and every NIC without a {@code mac} gets a stable one ({@code 52:54:00} plus three
   * bytes derived from the VM name and the NIC id) that is not in {@code macsInUse} (the other VMs' MACs, in lower
   * or upper case: the set is asked, never copied, so a live index of a host's MACs costs a few lookups).
   */
  public static PciPlan create(VmSpec spec, Set<String> macsInUse) {
    return withMacs(spec, PciPlanner.plan(spec, PciLayout.empty(), spec.machine().hotplugPorts()), macsInUse);
  }

  /**
   * Completes a stored layout for a spec that gained devices while the VM was not running: addresses already in the
   * layout are kept, new devices get free slots, no ports are added.
   */
  public static PciPlan complete(VmSpec spec, PciLayout layout) {
    return complete(spec, layout, Set.of());
  }

  /**
   * As {@link #complete(VmSpec, PciLayout)}; NICs without a MAC get one not in {@code macsInUse}, except in a layout
   * from before MACs were stored ({@link PciLayout#macsFromQemu()}: its NICs keep QEMU's default until recorded).
   */
  public static PciPlan complete(VmSpec spec, PciLayout layout, Set<String> macsInUse) {
    return withMacs(spec, PciPlanner.plan(spec, layout, 0), macsInUse);
  }

  /**
   * The layout after hot-plugging device {@code id} of {@code spec} (the spec already holding it): its pinned
   * {@code addr} or the lowest free slot of its bus; on q35 without a {@code bus}, the first free spare root port.
   * Fails when the bus does not take hot-plug (q35's {@code pcie.0}), no slot or port is free, or the address clashes.
   * Violations name the device as {@code devices[N]...}.
   */
  public static PciPlan attach(VmSpec spec, PciLayout layout, String id) {
    return attach(spec, layout, id, Set.of());
  }

  /** As {@link #attach(VmSpec, PciLayout, String)}; a NIC without a MAC gets one not in {@code macsInUse}. */
  public static PciPlan attach(VmSpec spec, PciLayout layout, String id, Set<String> macsInUse) {
    PciPlan plan = PciPlanner.attach(spec, layout, id);
    if (!plan.ok()) {
      return plan;
    }
    return new PciPlan(spec.device(id).map(d -> MacPlanner.assignOne(spec, plan.layout(), d, macsInUse))
        .orElse(plan.layout()), java.util.List.of());
  }

  private static PciPlan withMacs(VmSpec spec, PciPlan plan, Set<String> macsInUse) {
    return plan.ok() ? new PciPlan(MacPlanner.assign(spec, plan.layout(), macsInUse), java.util.List.of()) : plan;
  }

  /**
   * The ids of the spec's devices that sit on a PCI bus, in spec order: the devices a layout gives addresses to.
   * To record the layout QEMU made for a VM created before addresses were stored, read each one's QOM
   * {@code parent_bus} and {@code addr} ({@link PciAddress#fromQom}); {@code query-pci} cannot serve, as it lists
   * devices behind bridges only after the guest firmware has numbered the buses.
   */
  public static java.util.List<String> pciDeviceIds(VmSpec spec) {
    return PciPlanner.pciDeviceIds(spec);
  }

  /**
   * The layout as JSON text ({@code {"devices":{"id":"bus:SS.F"},"ports":[...],"macs":{"nic":"52:54:00:.."}}}), as
   * the daemon stores it. A layout from before MACs were stored is written without {@code "macs"}.
   */
  public static String toJson(PciLayout layout) {
    return PciLayoutJson.write(layout);
  }

  /**
   * Reads a layout written by {@link #toJson}.
   *
   * @throws IllegalArgumentException when the text is not such a layout
   */
  public static PciLayout fromJson(String json) {
    return PciLayoutJson.read(json);
  }
}
