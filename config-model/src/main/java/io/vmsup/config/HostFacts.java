package io.vmsup.config;

import io.vmsup.config.impl.HostProbe;
import java.util.Map;

/**
 * What this host offers, as far as rendering and host checks care.
 *
 * @param kvmUsable           KVM can run stock guests: {@code /dev/kvm} opens read-write AND
 *                            {@code /sys/module/kvm_intel} or {@code /sys/module/kvm_amd} exists (a PVM
 *                            {@code /dev/kvm} alone does not count); forced by {@code VMSUP_ACCEL=kvm|tcg}
 * @param vhostNetAvailable   {@code /dev/vhost-net} exists
 * @param vhostVsockAvailable {@code /dev/vhost-vsock} exists
 * @param hugepagesAvailable  a hugetlbfs is mounted at {@code /dev/hugepages}
 */
public record HostFacts(boolean kvmUsable, boolean vhostNetAvailable, boolean vhostVsockAvailable,
    boolean hugepagesAvailable) {

  /** Environment variable that forces the {@code auto} accelerator choice: {@code kvm} or {@code tcg}. */
  public static final String ACCEL_ENV = "VMSUP_ACCEL";

  /** Probes this host (reads /dev and /sys; blocking, a few system calls). Honours {@value #ACCEL_ENV}. */
  public static HostFacts probe() {
    return HostProbe.probe(System.getenv());
  }

  /** Probes this host with the given environment instead of the process environment. */
  public static HostFacts probe(Map<String, String> env) {
    return HostProbe.probe(env);
  }

  /** The accelerator actually used for a requested one: {@code auto} → KVM only when {@link #kvmUsable()}. */
  public Accel choose(Accel requested) {
    if (requested == Accel.AUTO) {
      return kvmUsable ? Accel.KVM : Accel.TCG;
    }
    return requested;
  }
}
