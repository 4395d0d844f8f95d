package io.vmsup.config.impl;

import io.vmsup.config.Device;
import io.vmsup.config.DeviceKind;
import io.vmsup.config.HotplugPlan;
import io.vmsup.config.PciLayout;
import io.vmsup.config.Pvpanic;
import io.vmsup.config.QmpStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a device's {@link QemuArg}s into QMP steps and their undo steps. */
public final class HotplugPlanner {

  private static final Set<DeviceKind> UNSUPPORTED = Set.of(DeviceKind.FILESYSTEM_9P, DeviceKind.SERIAL_PORT,
      DeviceKind.PCIE_ROOT_PORT, DeviceKind.PCI_BRIDGE, DeviceKind.PCIE_PCI_BRIDGE);

  private HotplugPlanner() {
  }

  public static boolean supports(Device d) {
    return !UNSUPPORTED.contains(d.kind()) && !(d instanceof Pvpanic p && p.model() == Pvpanic.Model.ISA);
  }

  public static HotplugPlan plan(Device d) {
    return plan(d, PciLayout.empty());
  }

  public static HotplugPlan plan(Device d, PciLayout layout) {
    if (!supports(d)) {
      throw new IllegalArgumentException("a " + d.kind().json() + " cannot be hot-plugged");
    }
    List<QmpStep> steps = new ArrayList<>();
    List<QmpStep> undo = new ArrayList<>();
    for (QemuArg a : DeviceArgs.of(d, layout)) {
      QemuOpts o = a.opts();
      switch (a.flag()) {
        case "-device" -> add(steps, undo, "device_add", o.toQmp("driver"), "device_del", "id", o);
        case "-netdev" -> add(steps, undo, "netdev_add", NetArgs.toQmp(o), "netdev_del", "id", o);
        case "-object" -> add(steps, undo, "object-add", o.toQmp("qom-type"), "object-del", "id", o);
        case "-blockdev" -> add(steps, undo, "blockdev-add", o.toQmp("driver"), "blockdev-del", "node-name", o);
        case "-chardev" -> add(steps, undo, "chardev-add", ChardevQmp.of(o), "chardev-remove", "id", o);
        default -> throw new IllegalArgumentException(a.flag() + " has no QMP equivalent");
      }
    }
    return new HotplugPlan(steps, undo);
  }

  private static void add(List<QmpStep> steps, List<QmpStep> undo, String command, Map<String, Object> args,
      String undoCommand, String key, QemuOpts opts) {
    steps.add(new QmpStep(command, args));
    Map<String, Object> undoArgs = new LinkedHashMap<>();
    undoArgs.put(undoCommand.equals("chardev-remove") ? "id" : key, value(opts, key));
    undo.add(new QmpStep(undoCommand, undoArgs));
  }

  private static Object value(QemuOpts opts, String key) {
    return opts.entries().stream().filter(e -> e.getKey().equals(key)).map(Map.Entry::getValue).findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + key + " in " + opts));
  }
}
