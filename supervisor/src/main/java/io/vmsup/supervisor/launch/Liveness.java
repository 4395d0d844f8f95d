package io.vmsup.supervisor.launch;

/** What the evidence about one process says. Only {@link #DEAD} may ever lead to CRASHED, a restart or a kill. */
public enum Liveness {
  /** The process was read and runs (possibly stopped by a signal). */
  ALIVE,
  /** Positive evidence of death: the kernel said the process is gone, a zombie, or another process now. */
  DEAD,
  /** The evidence could not be read (EMFILE, ENFILE, EACCES, any other I/O error): cannot tell, never "dead". */
  UNKNOWN
}
