package io.vmsup.supervisor.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmsup.supervisor.api.ErrorCode;
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
    sm.moveTo(VmState.STARTING, "start");
    sm.moveTo(VmState.RUNNING, "qmp-ready");
    sm.moveTo(VmState.STOPPING, "stop");
    sm.moveTo(VmState.STOPPED, "host-qmp-quit");
    assertThat(seen).extracting(Transition::to)
        .containsExactly(VmState.STARTING, VmState.RUNNING, VmState.STOPPING, VmState.STOPPED);
    assertThat(seen.get(1).from()).isEqualTo(VmState.STARTING);
    assertThat(seen.get(3).toJson().getString("reason")).isEqualTo("host-qmp-quit");
    assertThat(seen.get(3).toJson().getString("to")).isEqualTo("STOPPED");
    assertThat(sm.state()).isEqualTo(VmState.STOPPED);
  }

  @Test
  void aMoveOutsideTheTableIsAConflictAndChangesNothing() {
    assertThatThrownBy(() -> sm.moveTo(VmState.STOPPING, "stop"))
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
}
