package io.vmsup.supervisor.store;

/** The state an operator last asked for; the daemon drives towards it after a restart. */
public enum Desired {
  RUNNING,
  STOPPED
}
