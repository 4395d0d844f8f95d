package io.vmsup.supervisor.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One figure of {@code bench libvirt} measured in alternating rounds of {@value #ROUND} calls (vmsup's round, then
 * libvirt's), so the machine's load falls on both alike; each side's daemon CPU ticks are summed over its own rounds.
 */
final class LibvirtRounds {

  /** One timed vmsup call, ns. */
  @FunctionalInterface
  interface Call {
    long once() throws Exception;
  }

  /** {@code n} timed libvirt calls, each in ns. */
  @FunctionalInterface
  interface Batch {
    List<Long> run(int n) throws Exception;
  }

  static final int ROUND = 100;

  final List<Long> vmsup = new ArrayList<>();
  final List<Long> libvirt = new ArrayList<>();
  long vmsupTicks;
  long libvirtTicks;

  private LibvirtRounds() {
  }

  /**
   * {@code n} calls per side; {@code libvirt} null measures vmsup alone. The pids are the daemons whose CPU is
   * counted ({@code libvirtPid} ignored without libvirt; a pid of 0 counts nothing).
   */
  static LibvirtRounds run(int n, Call vmsup, Batch libvirt, long vmsupPid, long libvirtPid) throws Exception {
    LibvirtRounds r = new LibvirtRounds();
    while (r.vmsup.size() < n) {
      int round = Math.min(ROUND, n - r.vmsup.size());
      long t0 = ticks(vmsupPid);
      for (int i = 0; i < round; i++) {
        r.vmsup.add(vmsup.once());
      }
      r.vmsupTicks += ticks(vmsupPid) - t0;
      if (libvirt != null) {
        long l0 = ticks(libvirtPid);
        r.libvirt.addAll(libvirt.run(round));
        r.libvirtTicks += ticks(libvirtPid) - l0;
      }
    }
    return r;
  }

  private static long ticks(long pid) throws java.io.IOException {
    return pid == 0 ? 0 : ProcStat.cpuTicks(pid);
  }

  /** p50 of vmsup's calls, µs. */
  double vmsupP50() {
    return Percentiles.of(vmsup).p50Ms() * 1000;
  }

  double vmsupP99() {
    return Percentiles.of(vmsup).p99Ms() * 1000;
  }

  /** p50 of libvirt's calls, µs; NaN without libvirt. */
  double libvirtP50() {
    return libvirt.isEmpty() ? Double.NaN : Percentiles.of(libvirt).p50Ms() * 1000;
  }

  double libvirtP99() {
    return libvirt.isEmpty() ? Double.NaN : Percentiles.of(libvirt).p99Ms() * 1000;
  }

  /** vmsup's daemon CPU per call, µs. */
  double vmsupCpuPerCall() {
    return vmsupTicks * ProcStat.microsPerTick() / vmsup.size();
  }

  /** libvirtd's CPU per call, µs; NaN without libvirt. */
  double libvirtCpuPerCall() {
    return libvirt.isEmpty() ? Double.NaN : libvirtTicks * ProcStat.microsPerTick() / libvirt.size();
  }
}
