package io.vmsup.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How to hot-plug one device over QMP, from the same options the command line uses.
 *
 * @param steps the commands in order: backends first ({@code blockdev-add}, {@code netdev_add},
 *              {@code object-add}, {@code chardev-add}), then {@code device_add}
 * @param undo  for each step, the command that reverses it ({@code blockdev-del}, {@code netdev_del},
 *              {@code object-del}, {@code chardev-remove}, {@code device_del}); same index as {@code steps}
 */
public record HotplugPlan(List<QmpStep> steps, List<QmpStep> undo) {

  public HotplugPlan {
    steps = List.copyOf(steps);
    undo = List.copyOf(undo);
    if (steps.size() != undo.size()) {
      throw new IllegalArgumentException("one undo step per step");
    }
  }

  /**
   * The commands that roll back the first {@code applied} steps, newest first (after a failure at step
   * {@code applied}, or {@code steps().size()} to unplug everything). {@code device_del} completes only when QEMU
   * emits {@code DEVICE_DELETED}, which needs the guest's cooperation.
   */
  public List<QmpStep> undoAfter(int applied) {
    List<QmpStep> out = new ArrayList<>(undo.subList(0, applied));
    Collections.reverse(out);
    return out;
  }
}
