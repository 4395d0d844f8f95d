package io.vmsup.config;

/**
 * What a fleet does with a VM whose host is lost (its daemon dead, frozen or cut off). JSON: {@code wait},
 * {@code relocate}.
 */
public enum HostLossPolicy {
  /** The VM waits for its host: {@code UNKNOWN host-lost} until that host's daemon comes back. */
  WAIT("wait"),
  /**
   * The VM may run elsewhere (no host-local writable disk, or disks on shared storage): the host's watchdog kills its
   * QEMU when the daemon's lease runs out, and the fleet starts it on another host after that.
   */
  RELOCATE("relocate");

  private final String json;

  HostLossPolicy(String json) {
    this.json = json;
  }

  /** The JSON spelling. */
  public String json() {
    return json;
  }
}
