package io.vmsup.config.impl;

import static io.vmsup.config.impl.DeviceArgs.device;

import io.vmsup.config.Chardev;
import io.vmsup.config.SerialPort;
import io.vmsup.config.VirtioConsole;
import io.vmsup.config.VirtioSerial;
import io.vmsup.config.VirtioSerialPort;
import java.util.List;
import java.util.Locale;

/** Character devices and their frontends. */
final class CharArgs {

  private CharArgs() {
  }

  static List<QemuArg> chardev(Chardev c) {
    QemuOpts opts = QemuOpts.of(c.backend().name().toLowerCase(Locale.ROOT)).add("id", c.id());
    opts.add("path", c.path());
    if (c.backend() == Chardev.Backend.SOCKET) {
      opts.add("server", c.server());
      if (c.server()) {
        opts.add("wait", c.waitForClient());
      }
    }
    if (c.backend() == Chardev.Backend.FILE) {
      opts.add("append", c.append());
    }
    opts.add("logfile", c.logfile());
    return List.of(new QemuArg("-chardev", opts));
  }

  static List<QemuArg> serialPort(SerialPort s) {
    return List.of(device(QemuOpts.of("isa-serial").add("id", s.id()).add("chardev", s.chardev())));
  }

  static List<QemuArg> virtioSerial(VirtioSerial v) {
    return List.of(device(QemuOpts.of("virtio-serial-pci").add("id", v.id()).add("bus", v.bus())
        .add("max_ports", v.maxPorts())));
  }

  static List<QemuArg> virtioConsole(VirtioConsole c) {
    return List.of(device(QemuOpts.of("virtconsole").add("id", c.id()).add("chardev", c.chardev())
        .add("bus", c.bus() + ".0")));
  }

  static List<QemuArg> virtioSerialPort(VirtioSerialPort p) {
    return List.of(device(QemuOpts.of("virtserialport").add("id", p.id()).add("chardev", p.chardev())
        .add("bus", p.bus() + ".0").add("name", p.name())));
  }
}
