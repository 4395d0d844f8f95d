package io.vmsup.supervisor.spec;

/** When the supervisor starts a VM again after it exited on its own. */
public enum RestartMode {
  NEVER,
  ON_FAILURE,
  ALWAYS
}
