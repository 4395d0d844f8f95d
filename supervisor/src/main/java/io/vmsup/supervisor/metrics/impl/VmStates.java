package io.vmsup.supervisor.metrics.impl;

import io.vmsup.supervisor.api.VmState;
import java.util.Arrays;
import java.util.List;

/** The closed set of supervisor states, one {@code vmsup_vm_state} series each. */
final class VmStates {

  static final List<String> ALL = Arrays.stream(VmState.values()).map(VmState::json).toList();

  private VmStates() {
  }
}
