package io.vmsup.config.impl;

import io.vmsup.config.Chardev;
import io.vmsup.config.Device;
import io.vmsup.config.Disk;
import io.vmsup.config.Filesystem9p;
import io.vmsup.config.HostPath;
import io.vmsup.config.HostPath.Access;
import io.vmsup.config.MemoryBackend;
import io.vmsup.config.Nic;
import io.vmsup.config.PciPlaced;
import io.vmsup.config.Rng;
import io.vmsup.config.VhostUserBlk;
import io.vmsup.config.VhostUserScsi;
import io.vmsup.config.VirtioFs;
import io.vmsup.config.VmSpec;
import java.util.ArrayList;
import java.util.List;

/** Implements {@link HostPath#of}: every field of a spec that names a host path. */
public final class HostPathWalker {

  private final List<HostPath> out = new ArrayList<>();

  private HostPathWalker() {
  }

  public static List<HostPath> walk(VmSpec spec) {
    HostPathWalker w = new HostPathWalker();
    spec.kernel().ifPresent(k -> {
      w.add("kernel.path", k.path(), Access.READ);
      k.initrd().ifPresent(i -> w.add("kernel.initrd", i, Access.READ));
    });
    spec.bios().ifPresent(b -> w.add("bios", b, Access.READ));
    spec.incomingFile().ifPresent(f -> w.add("incoming", f, Access.READ));
    spec.machine().options().forEach((name, value) -> {
      if (MachineOptions.FILES.contains(name)) {
        w.add("machine.options." + name, value, Access.READ);
      }
    });
    for (int i = 0; i < spec.pflash().size(); i++) {
      var p = spec.pflash().get(i);
      w.add("pflash[" + i + "].file", p.file(), p.readOnly() ? Access.READ : Access.WRITE);
    }
    for (int i = 0; i < spec.fwCfg().size(); i++) {
      String at = "fwCfg[" + i + "].file";
      spec.fwCfg().get(i).file().ifPresent(f -> w.add(at, f, Access.READ));
    }
    for (int i = 0; i < spec.globals().size(); i++) {
      String v = spec.globals().get(i).value();
      if (v.startsWith("/")) {
        w.add("globals[" + i + "].value", v, Access.READ);
      }
    }
    for (int i = 0; i < spec.devices().size(); i++) {
      w.device("devices[" + i + "]", spec.devices().get(i));
    }
    return List.copyOf(w.out);
  }

  private void device(String at, Device d) {
    if (d instanceof PciPlaced x) {
      x.pci().romfile().filter(r -> !r.isEmpty()).ifPresent(r -> add(at + ".romfile", r, Access.READ));
    }
    if (d instanceof Disk x) {
      // a disk the daemon makes lies in the VM's directory, not at a host path of the spec
      if (!x.inVmDir()) {
        add(at + ".file", x.file(), x.readOnly() ? Access.READ : Access.WRITE);
      }
    } else if (d instanceof Filesystem9p x) {
      add(at + ".path", x.path(), x.readOnly() ? Access.READ : Access.WRITE);
    } else if (d instanceof Rng x) {
      add(at + ".source", x.source(), Access.READ);
    } else if (d instanceof MemoryBackend x) {
      x.path().ifPresent(p -> add(at + ".path", p, Access.WRITE));
    } else if (d instanceof Chardev x) {
      x.path().ifPresent(p -> add(at + ".path", p, Access.WRITE));
      x.logfile().ifPresent(p -> add(at + ".logfile", p, Access.WRITE));
    } else if (d instanceof VirtioFs x) {
      add(at + ".socket", x.socket(), Access.WRITE);
    } else if (d instanceof VhostUserBlk x) {
      add(at + ".socket", x.socket(), Access.WRITE);
    } else if (d instanceof VhostUserScsi x) {
      add(at + ".socket", x.socket(), Access.WRITE);
    } else if (d instanceof Nic x) {
      x.socket().ifPresent(p -> add(at + ".socket", p, Access.WRITE));
    }
  }

  private void add(String at, String path, Access access) {
    out.add(new HostPath(at, path, access));
  }
}
