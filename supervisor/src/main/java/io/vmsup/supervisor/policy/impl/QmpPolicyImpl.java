package io.vmsup.supervisor.policy.impl;

import io.vertx.core.json.JsonObject;
import io.vmsup.config.PathRoots;
import io.vmsup.supervisor.policy.PassthroughMode;
import io.vmsup.supervisor.policy.QmpPolicy;
import io.vmsup.supervisor.policy.Verdict;

/** Finds the command's hazard, then lets the mode decide between refusing it and tainting the VM. */
public final class QmpPolicyImpl implements QmpPolicy {

  private final PassthroughMode mode;
  private final PathRoots roots;

  public QmpPolicyImpl(PassthroughMode mode, PathRoots roots) {
    this.mode = mode;
    this.roots = roots;
  }

  @Override
  public Verdict judge(String execute, JsonObject arguments) {
    return new Hazards(roots).find(execute, arguments)
        .map(why -> new Verdict(mode == PassthroughMode.RESTRICTED ? Verdict.Kind.DENY : Verdict.Kind.TAINT, why))
        .orElse(Verdict.ALLOW);
  }
}
