package io.vmsup.config;

import io.vmsup.config.impl.HostChecker;
import java.util.List;

/**
 * Checks a valid spec against a host: things pure validation cannot know (KVM, {@code /dev/vhost-net},
 * {@code /dev/vhost-vsock}, hugepages, that files and VFIO devices exist). Kept apart so that {@link VmSpecs#parse}
 * stays a pure function of its input.
 */
public final class HostChecks {

  private HostChecks() {
  }

  /**
   * Every reason the spec cannot start on this host, each with its JSON path; empty when it can. Reads the file
   * system (blocking).
   */
  public static List<Violation> check(VmSpec spec, HostFacts host) {
    return HostChecker.check(spec, host);
  }
}
