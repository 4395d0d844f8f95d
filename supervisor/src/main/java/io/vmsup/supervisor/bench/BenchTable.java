package io.vmsup.supervisor.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A table of figures, each printed beside the baseline it is to be read against, measured in the same run. */
final class BenchTable {

  private record Row(String figure, double value, double baseline, String baselineIs) {
  }

  private final String title;
  private final List<Row> rows = new ArrayList<>();
  private PrintStream echo;

  BenchTable(String title) {
    this.title = title;
  }

  void row(String figure, double value, double baseline, String baselineIs) {
    rows.add(new Row(figure, value, baseline, baselineIs));
    if (echo != null) {
      echo.printf(Locale.ROOT, "  figure: %s = %.1f (baseline %.1f %s)%n", figure, value, baseline, baselineIs);
    }
  }

  /** Also prints each row to {@code progress} as it is measured (a long run that fails late keeps its figures). */
  BenchTable echoTo(PrintStream progress) {
    this.echo = progress;
    return this;
  }

  /** The title, the host's CPUs and its load average now (at the end of the run), then the rows. */
  void print(PrintStream out) {
    out.printf(Locale.ROOT, "%s; host: %d CPUs, load average at the end %s%n%n", title,
        Runtime.getRuntime().availableProcessors(), BenchQmp.loadAverage());
    out.printf(Locale.ROOT, "%-52s %10s %10s  %s%n", "figure", "vmsup", "baseline", "baseline is");
    for (Row r : rows) {
      out.printf(Locale.ROOT, "%-52s %10.1f %10.1f  %s%n", r.figure(), r.value(), r.baseline(), r.baselineIs());
    }
  }
}
