package io.vmsup.supervisor.metrics.impl;

import java.util.List;

/** The closed set of supervisor states, one {@code vmsup_vm_state} series each. */
final class VmStates {

  static final List<String> ALL = List.of("CREATED", "STARTING", "RUNNING", "PAUSED", "STOPPING", "STOPPED",
      "CRASHED", "FAILED");

  private VmStates() {
  }
}
