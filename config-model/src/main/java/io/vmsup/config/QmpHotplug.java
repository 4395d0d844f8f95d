package io.vmsup.config;

import io.vmsup.config.impl.HotplugPlanner;

/**
 * Hot-plug plans derived from the very options {@link QemuArgv} renders (one source of truth): a {@code disk}
 * becomes {@code blockdev-add} + {@code device_add virtio-blk-pci|scsi-hd}, a {@code nic} {@code netdev_add} +
 * {@code device_add}, a {@code memory-backend} {@code object-add}, a {@code dimm} {@code device_add pc-dimm}, a
 * {@code vsock} {@code device_add vhost-vsock-pci}, vhost-user devices {@code chardev-add} + {@code device_add}.
 * On q35 a hot-plugged PCI device needs a free {@code pcie-root-port}: its {@code bus}, or a spare port the VM's
 * {@link PciLayout} planned ({@link PciPlans#attach}), passed to {@link #plan(Device, PciLayout)}.
 */
public final class QmpHotplug {

  private QmpHotplug() {
  }

  /** True when {@link #plan} supports the device (not: 9p, ISA devices, root ports, bridges). */
  public static boolean supports(Device device) {
    return HotplugPlanner.supports(device);
  }

  /**
   * The plan for one device.
   *
   * @throws IllegalArgumentException when {@link #supports} is false for the device
   */
  public static HotplugPlan plan(Device device) {
    return HotplugPlanner.plan(device);
  }

  /**
   * The plan for one device placed by the VM's layout ({@code bus}/{@code addr} of its address there).
   *
   * @throws IllegalArgumentException when {@link #supports} is false for the device
   */
  public static HotplugPlan plan(Device device, PciLayout layout) {
    return HotplugPlanner.plan(device, layout);
  }
}
