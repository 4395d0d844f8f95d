package io.vmsup.supervisor.cgroup;

import io.vmsup.config.Resources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One VM's cgroup: made fresh before each start of its QEMU (so its counters describe that run), joined by the
 * launch wrapper before it execs QEMU (so QEMU is inside from its first instruction), the kill switch for every task
 * in it, the source of the VM's CPU and memory figures, and removed when QEMU has gone. Every method blocks on
 * cgroupfs: call it on a worker. Failures are {@link IOException}s whose message names the file and the reason.
 */
public interface VmCgroup {

  /** The VM's name. */
  String vm();

  /** Its directories, one per mounted hierarchy (v1) or one (v2). */
  List<Path> dirs();

  /**
   * Makes the cgroup fresh and writes the limits: a left-over of an earlier run is emptied (its tasks, all this VM's
   * by construction, are killed) and removed first.
   *
   * @throws IOException when a directory cannot be made or a limit cannot be written (a controller not delegated)
   */
  void create(Resources limits) throws IOException;

  /** What goes before the command that execs QEMU: a shell that writes its own pid into the cgroup, then execs. */
  List<String> joinPrefix();

  /** The pids of the tasks in it now (empty when it does not exist). */
  Set<Long> pids() throws IOException;

  /**
   * The kill switch: every task in the cgroup gets SIGKILL ({@code cgroup.kill} on v2; else frozen, killed, thawed,
   * until it is empty). Returns how many tasks were signalled (v2's {@code cgroup.kill} counts what it saw).
   */
  int killAll() throws IOException;

  /** Freezes or thaws every task; false when the hierarchy has no freezer. */
  boolean freeze(boolean frozen) throws IOException;

  /** The counters now; after {@link #retire()}, the last ones read. */
  CgroupUsage usage();

  /**
   * After QEMU has exited: reads the final counters (kept for {@link #usage()}), kills any task left and removes the
   * directories. Never throws; what cannot be removed is logged.
   */
  CgroupUsage retire();
}
