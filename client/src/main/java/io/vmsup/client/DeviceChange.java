package io.vmsup.client;

import java.util.List;

/**
 * The reply of attach and detach.
 *
 * @param name the VM
 * @param id the device's id ({@code vmsup-cpu-S-C-T} for a vCPU)
 * @param kind the device kind ({@code disk}, {@code cpu}, ...)
 * @param live whether the change reached a running QEMU (false: only the spec changed)
 * @param steps the QMP commands run
 * @param warnings problems after the change took effect (a backend left behind by a detach), else empty
 */
public record DeviceChange(String name, String id, String kind, boolean live, List<String> steps,
                           List<String> warnings) {

  public DeviceChange {
    steps = List.copyOf(steps);
    warnings = List.copyOf(warnings);
  }
}
