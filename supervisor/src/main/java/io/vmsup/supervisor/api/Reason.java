package io.vmsup.supervisor.api;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Why a VM is in its state: the {@code "reason"} of the VM view and of every {@code "type":"state"} event. The JSON
 * form is {@link #json()}; {@code docs/event-bus-api.md} lists which reasons lead to which state. New reasons are
 * appended; the JSON of an existing one never changes.
 */
public enum Reason {

  /** DEFINED: the VM was created. */
  CREATED("created"),
  /** DEFINED: at daemon start, no QEMU of the VM ran and none was recorded. */
  NOT_RUNNING("not-running"),
  /** STARTING: an operator's start. */
  START("start"),
  /** STARTING: an automatic restart by the restart policy. */
  RESTART("restart"),
  /** RUNNING/PAUSED: QEMU answered its first QMP command after a start. */
  QMP_READY("qmp-ready"),
  /** RUNNING/PAUSED: a running QEMU was adopted at daemon start. */
  REATTACHED("reattached"),
  /** PAUSED: an operator's pause. */
  PAUSE("pause"),
  /** RUNNING: an operator's resume. */
  RESUME("resume"),
  /** PAUSED: QEMU stopped its vCPUs on its own or through a raw QMP {@code stop} (a STOP event). */
  QMP_STOP("qmp-stop"),
  /** RUNNING: QEMU resumed on its own or through a raw QMP {@code cont} (a RESUME event). */
  QMP_RESUME("qmp-resume"),
  /** RUNNING/PAUSED: the QMP connection closed while QEMU lived and was connected again. */
  QMP_RECONNECTED("qmp-reconnected"),
  /** UNKNOWN: whether QEMU lives cannot be told (the evidence cannot be read). */
  LIVENESS_UNKNOWN("liveness-unknown"),
  /** RUNNING/PAUSED: the evidence can be read again and QEMU lives. */
  LIVENESS_RESTORED("liveness-restored"),
  /** STOPPING/STOPPED: an operator's stop (STOPPED: of a CRASHED VM, which cancels its restart). */
  STOP("stop"),
  /** STOPPING/STOPPED: an operator's kill (STOPPED: of a CRASHED VM). */
  KILL("kill"),
  /** STOPPED: the ladder's ACPI powerdown ended QEMU without a SHUTDOWN reason. */
  POWERDOWN("powerdown"),
  /** STOPPED: the ladder's QMP {@code quit} ended QEMU without a SHUTDOWN reason. */
  QUIT("quit"),
  /** STOPPED: the ladder's SIGTERM ended QEMU without a SHUTDOWN reason. */
  SIGTERM("sigterm"),
  /** STOPPED: the ladder's SIGKILL ended QEMU. */
  SIGKILL("sigkill"),
  /** STOPPED: the ladder's last step was {@code powerdown} and QEMU's exit could not be confirmed. */
  POWERDOWN_UNCONFIRMED("powerdown-unconfirmed"),
  /** STOPPED: the ladder's last step was {@code quit} and QEMU's exit could not be confirmed. */
  QUIT_UNCONFIRMED("quit-unconfirmed"),
  /** STOPPED: the ladder's last step was {@code sigterm} and QEMU's exit could not be confirmed. */
  SIGTERM_UNCONFIRMED("sigterm-unconfirmed"),
  /** STOPPED: the ladder's last step was {@code sigkill} and QEMU's exit could not be confirmed. */
  SIGKILL_UNCONFIRMED("sigkill-unconfirmed"),
  /** STOPPED: a kill whose QEMU's exit could not be confirmed. */
  KILL_UNCONFIRMED("kill-unconfirmed"),
  /** CRASHED: QEMU died without a SHUTDOWN event (SIGKILL, abort). */
  UNEXPECTED_EXIT("unexpected-exit"),
  /** CRASHED: QEMU lived but its QMP could not be reconnected within the command timeout: hung, and killed. */
  QMP_LOST("qmp-lost"),
  /** CRASHED: QEMU died while the daemon was down. */
  DIED_WHILE_DAEMON_DOWN("died-while-daemon-down"),
  /** CRASHED: the daemon died after its intent record, before a QEMU ran. */
  START_INTERRUPTED("start-interrupted"),
  /** FAILED: a start did not reach RUNNING/PAUSED. */
  START_FAILED("start-failed"),
  /** FAILED: the restart policy's start limit was hit. */
  START_LIMIT("start-limit"),
  /** FAILED: our QEMU was found at daemon start but its QMP could not be connected. */
  REATTACH_FAILED("reattach-failed"),
  /** FAILED: a process names the VM's QMP socket but cannot be proven ours; left alone. */
  UNVERIFIED_PROCESS("unverified-process"),

  // QEMU's own SHUTDOWN causes (qapi/run-state.json ShutdownCause), passed on as QEMU names them
  /** QEMU's {@code none}. */
  QEMU_NONE("none", true),
  /** QEMU's {@code host-error}. */
  HOST_ERROR("host-error", true),
  /** QEMU's {@code host-qmp-quit}: a QMP {@code quit}. */
  HOST_QMP_QUIT("host-qmp-quit", true),
  /** QEMU's {@code host-qmp-system-reset}. */
  HOST_QMP_SYSTEM_RESET("host-qmp-system-reset", true),
  /** QEMU's {@code host-signal}: a signal from outside. */
  HOST_SIGNAL("host-signal", true),
  /** QEMU's {@code host-ui}. */
  HOST_UI("host-ui", true),
  /** QEMU's {@code guest-shutdown}: the guest powered off. */
  GUEST_SHUTDOWN("guest-shutdown", true),
  /** QEMU's {@code guest-reset}. */
  GUEST_RESET("guest-reset", true),
  /** QEMU's {@code guest-panic}. */
  GUEST_PANIC("guest-panic", true),
  /** QEMU's {@code guest-semi-exit}. */
  GUEST_SEMI_EXIT("guest-semi-exit", true),
  /** QEMU's {@code subsystem-reset}. */
  SUBSYSTEM_RESET("subsystem-reset", true),
  /** QEMU's {@code snapshot-load}. */
  SNAPSHOT_LOAD("snapshot-load", true),

  /** CRASHED: the kernel OOM-killed QEMU (the VM's cgroup counted it; a SIGKILL by hand never does). */
  OOM("oom"),
  /**
   * FAILED (start, re-attach) or CRASHED (reconnect, QEMU killed, no automatic restart): the VM's QMP socket was
   * served by another process than its QEMU (SO_PEERCRED), e.g. a link to another VM's socket planted by a
   * compromised QEMU; the connection was refused.
   */
  QMP_WRONG_PEER("qmp-wrong-peer");

  private static final Map<String, Reason> BY_JSON = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(Reason::json, Function.identity()));

  private final String json;
  private final boolean shutdownCause;

  Reason(String json) {
    this(json, false);
  }

  Reason(String json, boolean shutdownCause) {
    this.json = json;
    this.shutdownCause = shutdownCause;
  }

  /** The reason as it appears in JSON ({@code "unexpected-exit"}). */
  public String json() {
    return json;
  }

  /** The reason of a JSON form, if there is one. */
  public static Optional<Reason> ofJson(String json) {
    return Optional.ofNullable(BY_JSON.get(json));
  }

  /** QEMU's SHUTDOWN cause of that name ({@code "guest-shutdown"}), if it is one QEMU 7.2 to 9 sends. */
  public static Optional<Reason> ofShutdownCause(String cause) {
    return ofJson(cause).filter(r -> r.shutdownCause);
  }

  /** True for the QEMU shutdown causes of an exit the VM asked for itself or we asked for: not a crash. */
  public boolean isCleanExit() {
    return this == GUEST_SHUTDOWN || this == HOST_QMP_QUIT;
  }

  /**
   * The reason a ladder step names when it ended the VM ({@code powerdown}, {@code quit}, {@code sigterm},
   * {@code sigkill}, {@code kill}), or its {@code -unconfirmed} form when QEMU's exit could not be confirmed.
   */
  public Reason unconfirmed() {
    return switch (this) {
      case POWERDOWN -> POWERDOWN_UNCONFIRMED;
      case QUIT -> QUIT_UNCONFIRMED;
      case SIGTERM -> SIGTERM_UNCONFIRMED;
      case SIGKILL -> SIGKILL_UNCONFIRMED;
      case KILL -> KILL_UNCONFIRMED;
      default -> this;
    };
  }

  @Override
  public String toString() {
    return json;
  }
}
