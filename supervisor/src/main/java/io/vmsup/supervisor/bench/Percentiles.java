package io.vmsup.supervisor.bench;

import java.util.Arrays;
import java.util.List;

/** Nearest-rank percentiles of durations in nanoseconds, printed in milliseconds. */
record Percentiles(int n, double p50Ms, double p99Ms, double maxMs) {

  static Percentiles of(List<Long> nanos) {
    long[] a = nanos.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(a);
    if (a.length == 0) {
      return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN);
    }
    return new Percentiles(a.length, ms(a[rank(a.length, 0.50)]), ms(a[rank(a.length, 0.99)]), ms(a[a.length - 1]));
  }

  private static int rank(int n, double p) {
    return Math.max(0, (int) Math.ceil(p * n) - 1);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  String row() {
    return String.format("p50 %8.2f ms   p99 %8.2f ms   max %8.2f ms   (n=%d)", p50Ms, p99Ms, maxMs, n);
  }
}
