package io.vmsup.config;

/** The accelerator requested by {@code machine.accel}. */
public enum Accel {
  /** KVM; the host checks fail when KVM is not usable. */
  KVM,
  /** The TCG emulator; always available. */
  TCG,
  /** KVM when {@link HostFacts#kvmUsable()}, else TCG (and {@code -cpu host} becomes {@code -cpu max}). */
  AUTO
}
