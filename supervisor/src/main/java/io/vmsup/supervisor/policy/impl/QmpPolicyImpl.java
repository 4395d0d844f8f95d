package io.vmsup.supervisor.policy.impl;

import io.vertx.core.json.JsonObject;
import io.vmsup.config.PathRoots;
import io.vmsup.supervisor.policy.PassthroughMode;
import io.vmsup.supervisor.policy.QmpPolicy;
import io.vmsup.supervisor.policy.Verdict;
import java.util.Optional;

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
    return verdict(new Hazards(roots, false).find(execute, arguments));
  }

  @Override
  public Optional<Verdict> judgeWithoutFiles(String execute, JsonObject arguments) {
    Hazards quick = new Hazards(roots, true);
    Optional<String> found = quick.find(execute, arguments);
    return quick.pathSeen() ? Optional.empty() : Optional.of(verdict(found));
  }

  private Verdict verdict(Optional<String> hazard) {
    return hazard.map(why -> new Verdict(mode == PassthroughMode.RESTRICTED ? Verdict.Kind.DENY : Verdict.Kind.TAINT,
        why)).orElse(Verdict.ALLOW);
  }
}
