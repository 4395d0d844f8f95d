package io.vmsup.config.impl;

import io.vmsup.config.Accel;
import io.vmsup.config.Chardev;
import io.vmsup.config.Device;
import io.vmsup.config.Disk;
import io.vmsup.config.Filesystem9p;
import io.vmsup.config.FwCfgEntry;
import io.vmsup.config.HostFacts;
import io.vmsup.config.MemoryBackend;
import io.vmsup.config.Nic;
import io.vmsup.config.PciPlaced;
import io.vmsup.config.Rng;
import io.vmsup.config.Vfio;
import io.vmsup.config.VhostUserBlk;
import io.vmsup.config.VhostUserScsi;
import io.vmsup.config.VirtioFs;
import io.vmsup.config.Violation;
import io.vmsup.config.VmSpec;
import io.vmsup.config.Vsock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Implements {@code HostChecks}: host facts and the file system against a valid spec. */
public final class HostChecker {

  private final List<Violation> out = new ArrayList<>();

  private HostChecker() {
  }

  public static List<Violation> check(VmSpec spec, HostFacts host) {
    HostChecker c = new HostChecker();
    if (spec.machine().accel() == Accel.KVM && !host.kvmUsable()) {
      c.fail("machine.accel", "kvm was requested but KVM is not usable on this host (needs /dev/kvm and the kvm_intel"
          + " or kvm_amd module); use \"auto\" or \"tcg\"");
    }
    if (spec.knobs().hugepages() && !host.hugepagesAvailable()) {
      c.fail("knobs.hugepages", "no hugetlbfs is mounted at /dev/hugepages on this host");
    }
    spec.kernel().ifPresent(k -> {
      c.file("kernel.path", k.path());
      k.initrd().ifPresent(i -> c.file("kernel.initrd", i));
    });
    spec.bios().ifPresent(b -> c.file("bios", b));
    spec.machine().options().forEach((name, value) -> {
      if (MachineOptions.FILES.contains(name)) {
        c.file("machine.options." + name, value);
      }
    });
    for (int i = 0; i < spec.pflash().size(); i++) {
      c.file("pflash[" + i + "].file", spec.pflash().get(i).file());
    }
    for (int i = 0; i < spec.fwCfg().size(); i++) {
      FwCfgEntry f = spec.fwCfg().get(i);
      int index = i;
      f.file().ifPresent(p -> c.file("fwCfg[" + index + "].file", p));
    }
    for (int i = 0; i < spec.devices().size(); i++) {
      c.device("devices[" + i + "]", spec.devices().get(i), host);
    }
    return List.copyOf(c.out);
  }

  private void device(String path, Device d, HostFacts host) {
    if (d instanceof PciPlaced x) {
      x.pci().romfile().filter(r -> !r.isEmpty()).ifPresent(r -> file(path + ".romfile", r));
    }
    if (d instanceof Nic n && n.vhost() && !host.vhostNetAvailable()) {
      fail(path + ".vhost", "/dev/vhost-net is absent on this host (QEMU 7.2 would abort); set vhost to false");
    } else if (d instanceof Vsock && !host.vhostVsockAvailable()) {
      fail(path, "vhost-vsock-pci needs /dev/vhost-vsock, which is absent on this host");
    } else if (d instanceof Disk x) {
      if (!x.inVmDir()) {
        file(path + ".file", x.file());
      }
    } else if (d instanceof Filesystem9p x && !Files.isDirectory(Path.of(x.path()))) {
      fail(path + ".path", "directory " + x.path() + " does not exist on this host");
    } else if (d instanceof Vfio x && !Files.exists(Path.of("/sys/bus/pci/devices", x.host()))) {
      fail(path + ".host", "no PCI device " + x.host() + " on this host (/sys/bus/pci/devices)");
    } else if (d instanceof Rng x) {
      file(path + ".source", x.source());
    } else if (d instanceof MemoryBackend x && x.path().isPresent()) {
      Path p = Path.of(x.path().get());
      if (!Files.isDirectory(p) && (p.getParent() == null || !Files.isDirectory(p.getParent()))) {
        fail(path + ".path", "neither " + p + " nor its parent directory exists on this host");
      }
    } else if (d instanceof Chardev x && x.backend() == Chardev.Backend.SERIAL) {
      x.path().ifPresent(p -> file(path + ".path", p));
    } else {
      vhostUserSocket(path, d);
    }
  }

  private void vhostUserSocket(String path, Device d) {
    Optional<String> socket = Optional.empty();
    if (d instanceof VirtioFs x) {
      socket = Optional.of(x.socket());
    } else if (d instanceof VhostUserBlk x) {
      socket = Optional.of(x.socket());
    } else if (d instanceof VhostUserScsi x) {
      socket = Optional.of(x.socket());
    } else if (d instanceof Nic x) {
      socket = x.socket();
    }
    socket.filter(s -> !Files.exists(Path.of(s)))
        .ifPresent(s -> fail(path + ".socket", "no vhost-user backend is listening at " + s));
  }

  private void file(String path, String file) {
    if (!Files.exists(Path.of(file))) {
      fail(path, "file " + file + " does not exist on this host");
    }
  }

  private void fail(String path, String message) {
    out.add(new Violation(path, message));
  }
}
