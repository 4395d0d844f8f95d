package io.vmsup.supervisor.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/** Reading a Prometheus text exposition in tests. */
record PrometheusText(String text) {

  /** Lines (samples) of a metric whose labels contain every {@code key="value"} given. */
  List<String> samples(String metric, String... labels) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !(line.startsWith(metric + "{") || line.startsWith(metric + " "))) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= line.contains(label);
      }
      if (all) {
        out.add(line);
      }
    }
    return out;
  }

  /** The value of the single sample of a metric with these labels. */
  OptionalDouble value(String metric, String... labels) {
    List<String> lines = samples(metric, labels);
    if (lines.size() != 1) {
      return OptionalDouble.empty();
    }
    String line = lines.get(0);
    return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
  }

  /** Every metric name that has at least one sample. */
  Set<String> names() {
    Set<String> names = new TreeSet<>();
    for (String line : text.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        int end = line.indexOf('{');
        names.add(line.substring(0, end < 0 ? line.indexOf(' ') : end));
      }
    }
    return names;
  }

  boolean mentions(String label) {
    return text.lines().anyMatch(l -> !l.startsWith("#") && l.contains(label));
  }
}
