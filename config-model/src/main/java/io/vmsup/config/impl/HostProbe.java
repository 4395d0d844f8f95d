package io.vmsup.config.impl;

import io.vmsup.config.HostFacts;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Probes /dev and /sys for {@link HostFacts#probe()}. */
public final class HostProbe {

  private HostProbe() {
  }

  public static HostFacts probe(Map<String, String> env) {
    String forced = env.getOrDefault(HostFacts.ACCEL_ENV, "").trim().toLowerCase(Locale.ROOT);
    boolean kvm = switch (forced) {
      case "kvm" -> true;
      case "tcg" -> false;
      default -> kvmUsable();
    };
    return new HostFacts(kvm, Files.exists(Path.of("/dev/vhost-net")), Files.exists(Path.of("/dev/vhost-vsock")),
        hugetlbfsMounted());
  }

  /** GUEST.md: a PVM /dev/kvm opens but boots no stock kernel; only kvm_intel/kvm_amd count. */
  private static boolean kvmUsable() {
    if (!Files.exists(Path.of("/sys/module/kvm_intel")) && !Files.exists(Path.of("/sys/module/kvm_amd"))) {
      return false;
    }
    try (RandomAccessFile kvm = new RandomAccessFile("/dev/kvm", "rw")) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean hugetlbfsMounted() {
    try {
      return Files.readAllLines(Path.of("/proc/mounts")).stream()
          .map(l -> l.split(" "))
          .anyMatch(f -> f.length > 2 && f[1].equals("/dev/hugepages") && f[2].equals("hugetlbfs"));
    } catch (IOException e) {
      return false;
    }
  }
}
