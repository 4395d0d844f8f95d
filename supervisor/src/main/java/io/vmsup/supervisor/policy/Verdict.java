package io.vmsup.supervisor.policy;

/**
 * What the pass-through policy decided for one command.
 *
 * @param kind   run it, run it and taint the VM, or refuse it
 * @param reason why the command reaches outside the VM (null for {@link Kind#ALLOW})
 */
public record Verdict(Kind kind, String reason) {

  /** The decision. */
  public enum Kind { ALLOW, TAINT, DENY }

  public static final Verdict ALLOW = new Verdict(Kind.ALLOW, null);
}
