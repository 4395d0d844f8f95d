package io.vmsup.supervisor.metrics.impl;

/**
 * Whether a VM's sample asks its block queries ({@code query-blockstats}, {@code query-named-block-nodes}). A VM
 * whose last answers to both were empty has no block device, and QEMU makes block nodes only when told to over its
 * monitor (the command line, then QMP: {@code blockdev-add}, {@code device_add}, a medium change, a snapshot, a
 * job, {@code human-monitor-command}...): such a VM is not asked again while no other command than a {@code query-*}
 * has completed on its QMP connection since, nor on another process, and in any case every {@link #RECHECK}th sample.
 * A sample that did not ask changes no block series (it has none). Confined to the collector's context.
 */
final class BlockQueries {

  /** Every this many samples a VM without block devices is asked again, whatever its commands. */
  static final int RECHECK = 10;

  // the VM's count of other commands when both block queries last answered empty; -1: ask at the next sample
  private long emptyAt = -1;
  private int skipped;

  /** True when this sample asks the block queries; {@code changes}: the VM's other commands completed so far. */
  boolean ask(long changes) {
    if (emptyAt < 0 || changes != emptyAt || skipped >= RECHECK - 1) {
      skipped = 0;
      return true;
    }
    skipped++;
    return false;
  }

  /**
   * The block queries answered; {@code changesBefore}: the count read before they were sent (a command completed
   * meanwhile makes the next sample ask again).
   */
  void answered(boolean none, long changesBefore) {
    emptyAt = none ? changesBefore : -1;
  }

  /** Another process, or QMP did not answer: the next sample asks. */
  void reset() {
    emptyAt = -1;
  }
}
