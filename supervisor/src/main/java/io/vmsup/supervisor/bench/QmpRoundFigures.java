package io.vmsup.supervisor.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The figures of one client in one round of {@link BenchQmp} ({@link QmpTally} sums them over the round's blocks): the
 * whole process's CPU time while the client's blocks ran (the JIT compilers and the garbage collector included) and the
 * CPU time of the client's own threads (for vmsup the connection's event loop, for the JDK client its reader and
 * writer threads; a machine shared with other builds swings the compilers' and collector's share).
 */
record QmpRoundFigures(double p50Micros, double p99Micros, double perSecond, double cpuMicros, double threadCpuMicros) {

  static long processNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU time of the calling thread (a thread about to end adds its own). */
  static long currentThreadNanos() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  static double percentile(long[] samples, double q) {
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1000.0;
  }

  static QmpRoundFigures median(List<QmpRoundFigures> rounds) {
    return new QmpRoundFigures(median(rounds, QmpRoundFigures::p50Micros), median(rounds, QmpRoundFigures::p99Micros),
        median(rounds, QmpRoundFigures::perSecond), median(rounds, QmpRoundFigures::cpuMicros),
        median(rounds, QmpRoundFigures::threadCpuMicros));
  }

  private static double median(List<QmpRoundFigures> rounds, ToDoubleFunction<QmpRoundFigures> f) {
    double[] v = rounds.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  String describe(String who) {
    return String.format(Locale.ROOT, "%s p50 %.1f us, p99 %.1f us, %.0f commands/s, %.1f us CPU/command (own threads"
        + " %.1f)", who, p50Micros, p99Micros, perSecond, cpuMicros, threadCpuMicros);
  }
}
