package io.vmsup.supervisor.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table of {@code bench libvirt}: each figure of vmsup beside libvirt's from the same run, their ratio
 * (vmsup / libvirt: below 1 means vmsup takes less), and where issue 15 sets a target, the target and whether it is
 * met, and if not by how much it is missed.
 */
final class LibvirtTable {

  private record Row(String figure, double vmsup, double libvirt, double maxRatio) {

    double ratio() {
      return vmsup / libvirt;
    }

    String target() {
      return Double.isNaN(maxRatio) ? "" : String.format(Locale.ROOT, "<= %.2f", maxRatio);
    }

    String verdict() {
      if (Double.isNaN(maxRatio) || Double.isNaN(libvirt)) {
        return "";
      }
      double r = ratio();
      if (r <= maxRatio) {
        return "met";
      }
      return String.format(Locale.ROOT, "MISSED by %.2fx (vmsup needs <= %.1f)", r / maxRatio, libvirt * maxRatio);
    }
  }

  private final String title;
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final PrintStream progress;

  LibvirtTable(String title, PrintStream progress) {
    this.title = title;
    this.progress = progress;
  }

  /** A figure without a target. */
  void row(String figure, double vmsup, double libvirt) {
    row(figure, vmsup, libvirt, Double.NaN);
  }

  /** A figure whose target is vmsup / libvirt <= {@code maxRatio}. */
  void row(String figure, double vmsup, double libvirt, double maxRatio) {
    Row r = new Row(figure, vmsup, libvirt, maxRatio);
    rows.add(r);
    progress.printf(Locale.ROOT, "bench libvirt:   %s: vmsup %.1f, libvirt %.1f %s%n", figure, vmsup, libvirt,
        r.verdict());
  }

  void note(String line) {
    notes.add(line);
  }

  void print(PrintStream out, String loadAtStart) {
    out.printf(Locale.ROOT, "%s%nhost: %d CPUs, load average %s at start, %s at the end%n%n", title,
        Runtime.getRuntime().availableProcessors(), loadAtStart, BenchQmp.loadAverage());
    out.printf(Locale.ROOT, "%-46s %10s %10s %8s %8s  %s%n", "figure", "vmsup", "libvirt", "ratio", "target",
        "verdict");
    for (Row r : rows) {
      out.printf(Locale.ROOT, "%-46s %10.1f %10.1f %8s %8s  %s%n", r.figure(), r.vmsup(), r.libvirt(),
          Double.isNaN(r.libvirt()) ? "" : String.format(Locale.ROOT, "%.2f", r.ratio()), r.target(), r.verdict());
    }
    out.println();
    out.println("ratio: vmsup / libvirt (below 1: vmsup takes less time, CPU or memory); target: issue 15's bound on it");
    notes.forEach(out::println);
  }
}
