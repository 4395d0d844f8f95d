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

  /** Whether the server offered {@code capability}. */
  public boolean offers(String capability) {
    return capabilities.contains(capability);
  }
}
