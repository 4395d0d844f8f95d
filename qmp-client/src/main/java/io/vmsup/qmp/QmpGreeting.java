package io.vmsup.qmp;

import java.util.List;

/**
 * The server's greeting: {@code {"QMP": {"version": {...}, "capabilities": [...]}}}.
 *
 * @param version the QEMU version
 * @param capabilities the capabilities the server offered, for example {@code oob}
 */
public record QmpGreeting(QemuVersion version, List<String> capabilities) {

  public QmpGreeting {
    capabilities = List.copyOf(capabilities);
  }

  /** The QEMU major version. */
  public int major() {
    return version.major();
  }

  /** The QEMU minor version. */
  public int minor() {
    return version.minor();
  }

  /** The QEMU micro version. */
  public int micro() {
    return version.micro();
  }

  /** The QEMU package string (QMP's {@code package}). */
  public String pkg() {
    return version.pkg();
  }

  /** Whether the server offered {@code capability}. */
  public boolean offers(String capability) {
    return capabilities.contains(capability);
  }
}
