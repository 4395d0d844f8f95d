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
  private static final int JIT_ROUND = 1000;
  private static final int JIT_ROUNDS = 30;

  final List<Long> vmsup = new ArrayList<>();
  final List<Long> libvirt = new ArrayList<>();
  long vmsupTicks;
  long vmsupJitTicks;
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
      java.util.Map<String, Long> j0 = vmsupPid == 0 ? java.util.Map.of() : ProcStat.compilerTicksByThread(vmsupPid);
      for (int i = 0; i < round; i++) {
        r.vmsup.add(vmsup.once());
      }
      r.vmsupTicks += ticks(vmsupPid) - t0;
      r.vmsupJitTicks += vmsupPid == 0 ? 0 : ProcStat.compilerTicksSince(vmsupPid, j0);
      if (libvirt != null) {
        long l0 = ticks(libvirtPid);
        r.libvirt.addAll(libvirt.run(round));
        r.libvirtTicks += ticks(libvirtPid) - l0;
      }
    }
    return r;
  }

  /**
   * Pass-throughs to VM {@code name} until the daemon's JIT compilers have done most of their work (a round of
   * {@value #JIT_ROUND} calls in which they took under a tenth of the daemon's CPU), at most {@value #JIT_ROUNDS}
   * rounds: the C2 compiler kept compiling for ~15,000 calls at load 40 and was half of the daemon's CPU per call over
   * the first thousands. Returns the compilers' CPU over these rounds, clock ticks (their one-time work, shown apart).
   */
  static long warmJit(DaemonProcess vmsup, String name, java.io.PrintStream err) throws Exception {
    long compiled = 0;
    for (int round = 1; round <= JIT_ROUNDS; round++) {
      long t0 = ProcStat.cpuTicks(vmsup.pid());
      java.util.Map<String, Long> j0 = ProcStat.compilerTicksByThread(vmsup.pid());
      for (int i = 0; i < JIT_ROUND; i++) {
        vmsup.send("POST", "/v1/vms/" + name + "/qmp", "{\"execute\":\"query-status\"}", 200);
      }
      long all = ProcStat.cpuTicks(vmsup.pid()) - t0;
      long jit = ProcStat.compilerTicksSince(vmsup.pid(), j0);
      compiled += jit;
      if (jit * 10 < all || round == JIT_ROUNDS) {
        err.printf("bench libvirt: JIT warm-up: %d pass-throughs, the last %d with %.0f%% of the daemon's CPU in its"
            + " JIT compilers%n", round * JIT_ROUND, JIT_ROUND, all == 0 ? 0.0 : 100.0 * jit / all);
        return compiled;
      }
    }
    return compiled;
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

  /** Of {@link #vmsupCpuPerCall()}, what the daemon's JIT compiler threads spent, µs per call. */
  double vmsupJitPerCall() {
    return vmsupJitTicks * ProcStat.microsPerTick() / vmsup.size();
  }

  /** libvirtd's CPU per call, µs; NaN without libvirt. */
  double libvirtCpuPerCall() {
    return libvirt.isEmpty() ? Double.NaN : libvirtTicks * ProcStat.microsPerTick() / libvirt.size();
  }
}
