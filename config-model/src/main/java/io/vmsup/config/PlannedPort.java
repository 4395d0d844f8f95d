package io.vmsup.config;

/**
 * A {@code pcie-root-port} the daemon adds to a q35 VM beside the spec's own devices, so that devices can be
 * hot-plugged later ({@code pcie.0} itself does not take hot-plug). Rendered as {@code -device pcie-root-port,id=ID,
 * bus=pcie.0,addr=...,chassis=C,slot=S}.
 *
 * @param id          {@code vmsup-portN} (the {@code vmsup-} prefix is closed to user ids)
 * @param chassis     PCIe chassis number
 * @param portSlot    PCIe physical slot number; (chassis, portSlot) is unique among the VM's root ports
 * @param address     where the port itself sits on {@code pcie.0}
 */
public record PlannedPort(String id, int chassis, int portSlot, PciAddress address) {
}
