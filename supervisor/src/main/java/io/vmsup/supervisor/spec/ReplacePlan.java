package io.vmsup.supervisor.spec;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.Device;
import io.vmsup.config.Disk;
import io.vmsup.config.PciLayout;
import io.vmsup.config.PciPlan;
import io.vmsup.config.PciPlans;
import io.vmsup.config.Violation;
import io.vmsup.supervisor.api.VmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What replacing a stopped VM's whole spec means for what the daemon keeps beside it: the new definition with its
 * PCI layout, and the layout to write first so that a crash between the writes of {@code pci.json} and
 * {@code spec.json} leaves a layout that serves the old spec as well as the new one.
 *
 * <p>Addresses are the VM's for life (docs/vm-spec.md): a device that keeps its id keeps its address, removed
 * devices free theirs (for later changes: new ones of the same replace get other free slots, {@link
 * PciPlans#complete}). So a replace refuses what would move a
 * device the guest knows: another machine type, other {@code machine.hotplugPorts}, and a device of the same id with
 * another {@code kind}, {@code bus} or {@code addr}. Disks the daemon made ({@code image}/{@code size}) stay as they
 * are: they are made at create and go with the VM.
 *
 * @param definition  the new definition, with its layout (absent when the VM has none recorded yet)
 * @param firstLayout the layout to write before the spec: the new one plus the removed devices' addresses and MACs
 *                    (freed by a second write, after the spec's), null when the VM has no layout
 */
public record ReplacePlan(VmDefinition definition, PciLayout firstLayout) {

  /**
   * Plans the replace of {@code old} by {@code next} (parsed and host-checked already).
   *
   * @param macsInUse the other VMs' MACs: a new NIC without one gets another
   * @throws VmException INVALID with every violation, paths relative to the spec
   */
  public static ReplacePlan of(VmDefinition old, VmDefinition next, Set<String> macsInUse) {
    List<Violation> problems = kept(old, next);
    if (!problems.isEmpty()) {
      throw SpecParser.invalid(problems);
    }
    if (old.layout().isEmpty()) {
      return new ReplacePlan(next, null);
    }
    PciLayout stored = old.layout().get();
    // planned with the removed devices still in place: a new device never takes a slot this very replace frees,
    // so the layout written first serves the old spec (a crash before the spec's write) as well as the new one
    PciPlan plan = PciPlans.complete(next.spec(), stored, macsInUse);
    if (!plan.ok()) {
      throw SpecParser.invalid(plan.violations());
    }
    Set<String> gone = new HashSet<>(stored.devices().keySet());
    gone.addAll(stored.macs().keySet());
    next.spec().devices().forEach(d -> gone.remove(d.id()));
    PciLayout layout = plan.layout();
    for (String id : gone) {
      layout = layout.without(id);
    }
    return new ReplacePlan(next.withLayout(layout), plan.layout());
  }

  /** The layout to write after the spec (without the removed devices), null when the VM has none. */
  public PciLayout layout() {
    return definition.layout().orElse(null);
  }

  // what a replace must keep as it was
  private static List<Violation> kept(VmDefinition old, VmDefinition next) {
    List<Violation> out = new ArrayList<>();
    PciLayout placed = old.layout().filter(l -> !l.isEmpty()).orElse(null);
    String type = old.spec().machine().type();
    if (placed != null && !type.equals(next.spec().machine().type())) {
      out.add(new Violation("machine.type", "must stay \"" + type + "\": the VM's devices keep their PCI addresses"
          + " for its life, which another machine type does not have; create a new VM for another machine type"));
    }
    int ports = old.spec().machine().hotplugPorts();
    if (placed != null && ports != next.spec().machine().hotplugPorts()) {
      out.add(new Violation("machine.hotplugPorts", "must stay " + ports + ": the spare root ports are planned"
          + " once, when the VM is created"));
    }
    Map<String, JsonObject> before = byId(old.json().getJsonArray("devices", new JsonArray()));
    JsonArray now = next.json().getJsonArray("devices", new JsonArray());
    for (int i = 0; i < now.size() && placed != null; i++) {
      if (now.getValue(i) instanceof JsonObject d && d.getValue("id") instanceof String id
          && before.containsKey(id) && placed.address(id).isPresent() && moved(before.get(id), d)) {
        out.add(new Violation("devices[" + i + "]", "device \"" + id + "\" has the PCI address "
            + placed.address(id).get() + " for the VM's life: its kind, bus and addr must stay as they were; give"
            + " the changed device a new id to place it anew"));
      }
    }
    out.addAll(managedDisks(old, next));
    return out;
  }

  private static boolean moved(JsonObject was, JsonObject now) {
    for (String key : new String[] {"kind", "bus", "addr"}) {
      if (!Objects.equals(was.getValue(key), now.getValue(key))) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, JsonObject> byId(JsonArray devices) {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    for (Object o : devices) {
      if (o instanceof JsonObject d && d.getValue("id") instanceof String id) {
        out.put(id, d);
      }
    }
    return out;
  }

  // the disks the daemon made (from an image, or empty of a size) are the VM's: a replace neither adds, changes nor
  // drops one
  private static List<Violation> managedDisks(VmDefinition old, VmDefinition next) {
    Map<String, Disk> was = managed(old);
    List<Violation> out = new ArrayList<>();
    List<Device> devices = next.spec().devices();
    for (int i = 0; i < devices.size(); i++) {
      if (devices.get(i) instanceof Disk d && d.managed()) {
        Disk o = was.get(d.id());
        if (o == null || !o.image().equals(d.image()) || !o.size().equals(d.size())) {
          out.add(new Violation("devices[" + i + "]", "disk \"" + d.id() + "\" would be made by the daemon"
              + " (\"image\" or \"size\"): such disks are made when the VM is created, and a replace keeps them as"
              + " they are (same id, image and size); name a \"file\" for another disk"));
        }
      }
    }
    Set<String> now = managed(next).keySet();
    for (String id : was.keySet()) {
      if (!now.contains(id)) {
        out.add(new Violation("devices", "disk \"" + id + "\" was made by the daemon for this VM: a replace keeps"
            + " it (with the same id, image and size); it goes when the VM is deleted"));
      }
    }
    return out;
  }

  private static Map<String, Disk> managed(VmDefinition def) {
    Map<String, Disk> out = new LinkedHashMap<>();
    for (Device d : def.spec().devices()) {
      if (d instanceof Disk disk && disk.managed()) {
        out.put(disk.id(), disk);
      }
    }
    return out;
  }
}
