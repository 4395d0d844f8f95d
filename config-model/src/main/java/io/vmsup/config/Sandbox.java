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
   * Everything denied: obsolete calls, privilege elevation (setuid and friends), spawning processes (fork/exec: no
   * helper scripts, no {@code migrate exec:}), resource control (affinity, scheduler). The supervisor's launch form
   * uses it when a spec configures no sandbox; {@code "sandbox": {...}} relaxes it field by field.
   */
  public static Sandbox strict() {
    return new Sandbox(true, Elevate.DENY, true, true);
  }

  /** Privilege elevation policy. */
  public enum Elevate { ALLOW, DENY, CHILDREN }
}
