package io.vmsup.config.impl;

import io.vmsup.config.Device;
import io.vmsup.config.DeviceKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Render order of devices: QEMU creates devices in command-line order, so backends (iothreads, memory backends,
 * chardevs) come first, then every device after the device whose bus it uses; otherwise spec order is kept.
 * Validation has already rejected dangling references and cycles.
 */
final class DeviceOrder {

  private DeviceOrder() {
  }

  static List<Device> sorted(List<Device> devices) {
    Map<String, Device> byId = new LinkedHashMap<>();
    devices.forEach(d -> byId.put(d.id(), d));
    List<Device> out = new ArrayList<>();
    for (Device d : devices) {
      if (isBackend(d)) {
        out.add(d);
      }
    }
    for (Device d : devices) {
      if (!isBackend(d)) {
        visit(d, byId, out, 0);
      }
    }
    return out;
  }

  private static void visit(Device d, Map<String, Device> byId, List<Device> out, int depth) {
    if (out.contains(d) || depth > byId.size()) {
      return;
    }
    Buses.parentId(d).map(byId::get).ifPresent(parent -> visit(parent, byId, out, depth + 1));
    if (!out.contains(d)) {
      out.add(d);
    }
  }

  static boolean isBackend(Device d) {
    DeviceKind k = d.kind();
    return k == DeviceKind.IOTHREAD || k == DeviceKind.MEMORY_BACKEND || k == DeviceKind.CHARDEV;
  }
}
