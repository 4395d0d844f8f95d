package io.vmsup.config.impl;

import io.vmsup.config.Balloon;
import io.vmsup.config.Chardev;
import io.vmsup.config.Device;
import io.vmsup.config.Dimm;
import io.vmsup.config.Disk;
import io.vmsup.config.Filesystem9p;
import io.vmsup.config.Iothread;
import io.vmsup.config.MemoryBackend;
import io.vmsup.config.Nic;
import io.vmsup.config.Nvdimm;
import io.vmsup.config.PciLayout;
import io.vmsup.config.PciPlaced;
import io.vmsup.config.PciBridge;
import io.vmsup.config.PciePciBridge;
import io.vmsup.config.PcieRootPort;
import io.vmsup.config.Pvpanic;
import io.vmsup.config.Rng;
import io.vmsup.config.ScsiController;
import io.vmsup.config.SerialPort;
import io.vmsup.config.Vfio;
import io.vmsup.config.VhostUserBlk;
import io.vmsup.config.VhostUserScsi;
import io.vmsup.config.VirtioConsole;
import io.vmsup.config.VirtioFs;
import io.vmsup.config.VirtioSerial;
import io.vmsup.config.VirtioSerialPort;
import io.vmsup.config.Vsock;
import java.util.List;

/**
 * Maps each device to its QEMU options, backends first ({@code -blockdev}/{@code -netdev}/{@code -chardev}/
 * {@code -object}), then the {@code -device}. Both the command line and {@code QmpHotplug} use this.
 */
public final class DeviceArgs {

  private DeviceArgs() {
  }

  /**
   * The options of one device placed by a layout: {@code bus=...,addr=...} from the device's address in it (none
   * when it has none), {@code multifunction=on} on a function 0 whose slot has more functions, and the device's
   * {@code disable-modern}/{@code romfile}.
   */
  public static List<QemuArg> of(Device device, PciLayout layout) {
    List<QemuArg> args = device instanceof Nic n ? NetArgs.nic(withLayoutMac(n, layout), -1) : of(device);
    if (device instanceof PciPlaced placed) {
      args.stream().filter(a -> a.flag().equals("-device") && a.opts().get("id").filter(device.id()::equals)
          .isPresent()).findFirst().ifPresent(a -> PciArgs.placed(a.opts(), placed.pci(), layout.address(device.id()),
              layout));
    }
    return args;
  }

  /** A tap or macvtap NIC in the portable form (see {@code RenderContext#handOver}), placed by the layout. */
  static List<QemuArg> portable(Nic nic, PciLayout layout, int firstFd) {
    List<QemuArg> args = NetArgs.nic(withLayoutMac(nic, layout), firstFd);
    args.stream().filter(a -> a.flag().equals("-device")).findFirst()
        .ifPresent(a -> PciArgs.placed(a.opts(), nic.pci(), layout.address(nic.id()), layout));
    return args;
  }

  /** The NIC with the layout's stable MAC when its spec names none. */
  private static Nic withLayoutMac(Nic n, PciLayout layout) {
    return n.mac().isEmpty() && layout.mac(n.id()).isPresent() ? n.withMac(layout.mac(n.id()).get()) : n;
  }

  /** The options of one device, in the order QEMU needs them (without layout addresses). */
  public static List<QemuArg> of(Device device) {
    if (device instanceof Disk d) {
      return BlockArgs.disk(d);
    } else if (device instanceof VhostUserBlk d) {
      return BlockArgs.vhostUserBlk(d);
    } else if (device instanceof VhostUserScsi d) {
      return BlockArgs.vhostUserScsi(d);
    } else if (device instanceof ScsiController d) {
      return BlockArgs.scsiController(d);
    } else if (device instanceof Nic d) {
      return NetArgs.nic(d, -1);
    } else if (device instanceof Chardev d) {
      return CharArgs.chardev(d);
    } else if (device instanceof SerialPort d) {
      return CharArgs.serialPort(d);
    } else if (device instanceof VirtioSerial d) {
      return CharArgs.virtioSerial(d);
    } else if (device instanceof VirtioConsole d) {
      return CharArgs.virtioConsole(d);
    } else if (device instanceof VirtioSerialPort d) {
      return CharArgs.virtioSerialPort(d);
    } else if (device instanceof Filesystem9p d) {
      return FsArgs.ninep(d);
    } else if (device instanceof VirtioFs d) {
      return FsArgs.virtioFs(d);
    } else if (device instanceof Vfio d) {
      return PciArgs.vfio(d);
    } else if (device instanceof PciBridge d) {
      return PciArgs.pciBridge(d);
    } else if (device instanceof PciePciBridge d) {
      return PciArgs.pciePciBridge(d);
    } else if (device instanceof PcieRootPort d) {
      return PciArgs.rootPort(d);
    } else if (device instanceof MemoryBackend d) {
      return MemArgs.backend(d);
    } else if (device instanceof Dimm d) {
      return MemArgs.dimm(d);
    } else if (device instanceof Nvdimm d) {
      return MemArgs.nvdimm(d);
    }
    return misc(device);
  }

  private static List<QemuArg> misc(Device device) {
    if (device instanceof Iothread d) {
      return MiscArgs.iothread(d);
    } else if (device instanceof Rng d) {
      return MiscArgs.rng(d);
    } else if (device instanceof Balloon d) {
      return MiscArgs.balloon(d);
    } else if (device instanceof Pvpanic d) {
      return MiscArgs.pvpanic(d);
    } else if (device instanceof Vsock d) {
      return MiscArgs.vsock(d);
    }
    throw new IllegalStateException("no renderer for " + device.kind());
  }

  /** Derived id of a device's backend: a dot cannot occur in user ids, so these never collide. */
  static String derived(String id, String suffix) {
    return id + "." + suffix;
  }

  static QemuArg device(QemuOpts opts) {
    return new QemuArg("-device", opts);
  }

  static QemuArg object(QemuOpts opts) {
    return new QemuArg("-object", opts);
  }

  /** A client-mode unix socket chardev for a vhost-user backend. */
  static QemuArg vhostUserChardev(String id, String socket) {
    return new QemuArg("-chardev", QemuOpts.of("socket").add("id", derived(id, "chr")).add("path", socket));
  }
}
