package io.vmsup.supervisor.vm;

import static io.vmsup.supervisor.api.VmState.CRASHED;
import static io.vmsup.supervisor.api.VmState.DEFINED;
import static io.vmsup.supervisor.api.VmState.FAILED;
import static io.vmsup.supervisor.api.VmState.PAUSED;
import static io.vmsup.supervisor.api.VmState.RUNNING;
import static io.vmsup.supervisor.api.VmState.STARTING;
import static io.vmsup.supervisor.api.VmState.STOPPED;
import static io.vmsup.supervisor.api.VmState.STOPPING;
import static io.vmsup.supervisor.api.VmState.UNKNOWN;

import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Reason;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmState;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The lifecycle of one VM. Every allowed transition is in {@link #ALLOWED}; anything else is a bug or a request
 * in the wrong state (CONFLICT). Confined to the VM's context; every transition goes to the listener.
 */
public final class VmStateMachine {

  /** The allowed transitions, from → to. Re-attach at daemon start leaves DEFINED for RUNNING/PAUSED/CRASHED/FAILED/UNKNOWN. */
  static final Map<VmState, Set<VmState>> ALLOWED = table();

  private final String vm;
  private final Clock clock;
  private final Consumer<Transition> listener;
  private VmState state = DEFINED;
  private Reason reason = Reason.CREATED;
  private Instant since;

  public VmStateMachine(String vm, Clock clock, Consumer<Transition> listener) {
    this.vm = vm;
    this.clock = clock;
    this.listener = listener;
    this.since = clock.instant();
  }

  private static Map<VmState, Set<VmState>> table() {
    Map<VmState, Set<VmState>> t = new EnumMap<>(VmState.class);
    t.put(DEFINED, EnumSet.of(STARTING, STOPPED, RUNNING, PAUSED, CRASHED, FAILED, UNKNOWN));
    t.put(STARTING, EnumSet.of(RUNNING, PAUSED, STOPPING, FAILED));
    t.put(RUNNING, EnumSet.of(PAUSED, STOPPING, STOPPED, CRASHED, UNKNOWN));
    t.put(PAUSED, EnumSet.of(RUNNING, STOPPING, STOPPED, CRASHED, UNKNOWN));
    // UNKNOWN is left only on evidence: back to the real state, or CRASHED/STOPPED once death is proven; at daemon
    // start also DEFINED (nothing was running) or FAILED (a process that cannot be proven ours)
    t.put(UNKNOWN, EnumSet.of(RUNNING, PAUSED, CRASHED, STOPPED, FAILED, DEFINED));
    t.put(STOPPING, EnumSet.of(STOPPED));
    t.put(STOPPED, EnumSet.of(STARTING, FAILED));
    t.put(CRASHED, EnumSet.of(STARTING, STOPPED, FAILED));
    t.put(FAILED, EnumSet.of(STARTING, STOPPED, FAILED)); // FAILED → FAILED: a failed restart hits the start limit
    return t;
  }

  public static boolean allowed(VmState from, VmState to) {
    return ALLOWED.get(from).contains(to);
  }

  public VmState state() {
    return state;
  }

  public Reason reason() {
    return reason;
  }

  public Instant since() {
    return since;
  }

  /** True when {@code to} may follow the current state. */
  public boolean canMoveTo(VmState to) {
    return allowed(state, to);
  }

  /**
   * Moves to {@code to} and tells the listener.
   *
   * @throws VmException CONFLICT when the table does not allow the move
   */
  public Transition moveTo(VmState to, Reason why) {
    if (!canMoveTo(to)) {
      throw new VmException(ErrorCode.CONFLICT, "VM '" + vm + "' is " + state + ", cannot go to " + to,
          new JsonObject().put("state", state.json()));
    }
    Transition t = new Transition(vm, state, to, why, clock.instant());
    state = to;
    reason = why;
    since = t.timestamp();
    listener.accept(t);
    return t;
  }

  /** True when the current state is one of {@code states}. */
  public boolean in(VmState... states) {
    for (VmState s : states) {
      if (s == state) {
        return true;
      }
    }
    return false;
  }

  /** Fails with CONFLICT unless the current state is one of {@code states}. */
  public void require(String command, VmState... states) {
    if (in(states)) {
      return;
    }
    throw new VmException(ErrorCode.CONFLICT, "cannot " + command + " VM '" + vm + "' in state " + state,
        new JsonObject().put("state", state.json()));
  }
}
