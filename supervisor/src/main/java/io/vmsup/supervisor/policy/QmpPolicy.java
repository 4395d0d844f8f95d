package io.vmsup.supervisor.policy;

import io.vertx.core.json.JsonObject;
import io.vmsup.config.PathRoots;
import io.vmsup.supervisor.policy.impl.QmpPolicyImpl;
import java.util.Optional;

/**
 * The raw QMP pass-through policy ({@code POST /v1/vms/{name}/qmp}, {@code vmsup.vm.qmp}): a deny-list of what
 * reaches outside the VM — {@code human-monitor-command}, descriptors ({@code getfd}, {@code add-fd}), migration or a
 * memory dump to {@code exec:}/{@code file:}/{@code fd:}, chardevs with host backends or paths outside the roots,
 * host files named by any argument ({@code filename}, {@code mem-path}, {@code romfile}, ...) outside the roots,
 * helper scripts of {@code netdev_add}, objects bound to host devices. The typed operations (start, stop, hot-plug)
 * are not pass-through and are not judged here.
 */
public interface QmpPolicy {

  /** A policy for a daemon's mode and path roots. */
  static QmpPolicy create(PassthroughMode mode, PathRoots roots) {
    return new QmpPolicyImpl(mode, roots);
  }

  /**
   * Judges one pass-through command. Blocking: paths in the arguments are resolved on the file system (symbolic
   * links); call it on a worker.
   *
   * @param execute   the QMP command name
   * @param arguments its arguments (an empty object when none)
   * @return {@link Verdict#ALLOW}, or TAINT / DENY (by the mode) with the reason when the command reaches outside
   */
  Verdict judge(String execute, JsonObject arguments);

  /**
   * Judges one pass-through command without the file system, when its verdict does not depend on it: the same
   * verdict as {@link #judge}, or empty when an argument names a host path that must be resolved (then call
   * {@link #judge} on a worker). Never blocks: safe on an event loop.
   */
  Optional<Verdict> judgeWithoutFiles(String execute, JsonObject arguments);
}
