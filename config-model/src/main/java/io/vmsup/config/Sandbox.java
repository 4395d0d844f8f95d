package io.vmsup.config;

/**
 * The seccomp sandbox: {@code -sandbox on,obsolete=...,elevateprivileges=...,spawn=...,resourcecontrol=...}.
 * Every field defaults to the strict choice.
 *
 * @param denyObsolete        deny obsolete system calls, default true
 * @param elevatePrivileges   {@code deny} (default), {@code children} or {@code allow}
 * @param denySpawn           deny fork/exec, default true
 * @param denyResourceControl deny scheduler and affinity changes, default true
 */
public record Sandbox(boolean denyObsolete, Elevate elevatePrivileges, boolean denySpawn, boolean denyResourceControl) {

  /**
   * What QEMU filters for a bare {@code -sandbox on}: obsolete system calls denied, everything else allowed. The
   * supervisor's launch form uses it when a spec configures no sandbox.
   */
  public static Sandbox qemuDefault() {
    return new Sandbox(true, Elevate.ALLOW, false, false);
  }

  /** Privilege elevation policy. */
  public enum Elevate { ALLOW, DENY, CHILDREN }
}
