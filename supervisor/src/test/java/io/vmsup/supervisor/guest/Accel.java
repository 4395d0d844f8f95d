package io.vmsup.supervisor.guest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The accelerator guest tests boot with. KVM only when {@code /dev/kvm} is usable and a hardware KVM module
 * ({@code kvm_intel}/{@code kvm_amd}) is loaded: on PVM hosts {@code /dev/kvm} opens but stock kernels do not boot,
 * and {@code accel=kvm:tcg} does not fall back there (docs/test-guest.md). {@code VMSUP_TEST_ACCEL=kvm|tcg} forces one.
 */
public enum Accel {
  KVM("kvm", "host"),
  TCG("tcg", "max");

  private final String name;
  private final String cpu;

  Accel(String name, String cpu) {
    this.name = name;
    this.cpu = cpu;
  }

  /** The accelerator for this host, honouring {@code VMSUP_TEST_ACCEL}. */
  public static Accel detect() {
    String forced = System.getenv("VMSUP_TEST_ACCEL");
    if (forced != null && !forced.isEmpty()) {
      return valueOf(forced.toUpperCase(java.util.Locale.ROOT));
    }
    Path kvm = Path.of("/dev/kvm");
    boolean hardware = Files.isDirectory(Path.of("/sys/module/kvm_intel")) || Files.isDirectory(Path.of("/sys/module/kvm_amd"));
    return Files.isReadable(kvm) && Files.isWritable(kvm) && hardware ? KVM : TCG;
  }

  /** {@code -machine q35,accel=...} and {@code -cpu ...} arguments. */
  public List<String> args() {
    return List.of("-machine", "q35,accel=" + name, "-cpu", cpu);
  }
}
