package io.vmsup.client;

import java.util.List;

/**
 * The reply of stop and kill: the VM once stopped, and the steps of the stop ladder taken ({@code powerdown},
 * {@code quit}, {@code sigterm}, {@code sigkill}, {@code kill}; empty when there was no process).
 */
public record StopResult(VmView vm, List<String> steps) {

  public StopResult {
    steps = List.copyOf(steps);
  }
}
