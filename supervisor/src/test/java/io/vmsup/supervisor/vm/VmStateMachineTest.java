package io.vmsup.supervisor.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Reason;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VmStateMachineTest {

  private final List<Transition> seen = new ArrayList<>();
  private final VmStateMachine sm = new VmStateMachine("a", Clock.systemUTC(), seen::add);

  @Test
  void everyTransitionIsPublishedWithFromToAndReason() {
    sm.moveTo(VmState.STARTING, Reason.START);
    sm.moveTo(VmState.RUNNING, Reason.QMP_READY);
    sm.moveTo(VmState.STOPPING, Reason.STOP);
    sm.moveTo(VmState.STOPPED, Reason.HOST_QMP_QUIT);
    assertThat(seen).extracting(Transition::to)
        .containsExactly(VmState.STARTING, VmState.RUNNING, VmState.STOPPING, VmState.STOPPED);
    assertThat(seen.get(1).from()).isEqualTo(VmState.STARTING);
    assertThat(seen.get(3).toJson().getString("reason")).isEqualTo("host-qmp-quit");
    assertThat(seen.get(3).toJson().getString("to")).isEqualTo("STOPPED");
    assertThat(sm.state()).isEqualTo(VmState.STOPPED);
  }

  @Test
  void aMoveOutsideTheTableIsAConflictAndChangesNothing() {
    assertThatThrownBy(() -> sm.moveTo(VmState.STOPPING, Reason.STOP))
        .isInstanceOfSatisfying(VmException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
    assertThat(sm.state()).isEqualTo(VmState.DEFINED);
    assertThat(seen).isEmpty();
  }

  @Test
  void onlyStoppingLeadsToStoppedFromStopping() {
    for (VmState to : VmState.values()) {
      assertThat(VmStateMachine.allowed(VmState.STOPPING, to)).isEqualTo(to == VmState.STOPPED);
    }
    for (VmState from : VmState.values()) {
      assertThat(VmStateMachine.ALLOWED).containsKey(from);
    }
  }

  @Test
  void unknownIsEnteredOnlyFromALiveStateAndLeftOnlyOnEvidence() {
    assertThat(VmStateMachine.allowed(VmState.RUNNING, VmState.UNKNOWN)).isTrue();
    assertThat(VmStateMachine.allowed(VmState.PAUSED, VmState.UNKNOWN)).isTrue();
    assertThat(VmStateMachine.allowed(VmState.DEFINED, VmState.UNKNOWN)).as("at daemon start").isTrue();
    for (VmState from : new VmState[] {VmState.STARTING, VmState.STOPPING, VmState.STOPPED, VmState.CRASHED,
        VmState.FAILED}) {
      assertThat(VmStateMachine.allowed(from, VmState.UNKNOWN)).as("from %s", from).isFalse();
    }
    // never a restart (STARTING) or a stop ladder (STOPPING) straight from "cannot tell"
    assertThat(VmStateMachine.allowed(VmState.UNKNOWN, VmState.STARTING)).isFalse();
    assertThat(VmStateMachine.allowed(VmState.UNKNOWN, VmState.STOPPING)).isFalse();
    assertThat(VmState.UNKNOWN.hasProcess()).as("a VM that cannot be told dead still has its process").isTrue();
  }

  @Test
  void aVmGoesUnknownAndBackToItsRealStateWithReasons() {
    sm.moveTo(VmState.STARTING, Reason.START);
    sm.moveTo(VmState.PAUSED, Reason.QMP_READY);
    sm.moveTo(VmState.UNKNOWN, Reason.LIVENESS_UNKNOWN);
    sm.moveTo(VmState.PAUSED, Reason.LIVENESS_RESTORED);
    sm.moveTo(VmState.UNKNOWN, Reason.LIVENESS_UNKNOWN);
    sm.moveTo(VmState.CRASHED, Reason.UNEXPECTED_EXIT);
    assertThat(seen).extracting(t -> t.to() + "/" + t.reason()).containsExactly("STARTING/start",
        "PAUSED/qmp-ready", "UNKNOWN/liveness-unknown", "PAUSED/liveness-restored", "UNKNOWN/liveness-unknown",
        "CRASHED/unexpected-exit");
    assertThatThrownBy(() -> sm.moveTo(VmState.UNKNOWN, Reason.LIVENESS_UNKNOWN)).isInstanceOf(VmException.class);
  }
}
