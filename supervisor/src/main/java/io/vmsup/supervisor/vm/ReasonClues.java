package io.vmsup.supervisor.vm;

import io.vmsup.supervisor.api.Reason;
import java.util.Optional;

/**
 * What names the reason of a VM's next transition when QEMU, not the daemon, makes it: the cause of QEMU's last
 * {@code SHUTDOWN} event of the current run, and the operator's verb whose QMP command is in flight (QEMU sends its
 * {@code STOP}/{@code RESUME} event before the reply). Confined to the VM's context.
 */
final class ReasonClues {

  private final String vm;
  private Reason shutdownCause;
  private Reason requested;

  ReasonClues(String vm) {
    this.vm = vm;
  }

  /** A new run begins: no SHUTDOWN was seen yet. */
  void clear() {
    shutdownCause = null;
  }

  /** QEMU said why it shuts down ({@code SHUTDOWN}); a cause this daemon does not know is logged and ignored. */
  void shutdownSeen(String cause) {
    shutdownCause = Reason.ofShutdownCause(cause).orElse(null);
    if (shutdownCause == null) {
      VmCore.LOG.warning(vm + ": SHUTDOWN with a cause this daemon does not know: " + cause);
    }
  }

  /** The cause of the current run's last SHUTDOWN event, if QEMU sent one. */
  Optional<Reason> shutdownCause() {
    return Optional.ofNullable(shutdownCause);
  }

  /** {@code verb} ({@code PAUSE}, {@code RESUME}) is in flight, or nothing is (null). */
  void requesting(Reason verb) {
    requested = verb;
  }

  /** {@code verb} when it is the request in flight, else {@code otherwise} (QEMU acted on its own or a raw QMP). */
  Reason requestedOr(Reason verb, Reason otherwise) {
    return requested == verb ? verb : otherwise;
  }
}
