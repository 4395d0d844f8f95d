package io.vmsup.config.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Compresses CPU indexes into QEMU's {@code A-B} ranges: [0,1,2,5] → ["0-2", "5"]. */
final class Ranges {

  private Ranges() {
  }

  static List<String> of(List<Integer> values) {
    List<String> out = new ArrayList<>();
    Integer start = null;
    Integer prev = null;
    for (int v : new TreeSet<>(values)) {
      if (prev != null && v == prev + 1) {
        prev = v;
        continue;
      }
      if (start != null) {
        out.add(range(start, prev));
      }
      start = v;
      prev = v;
    }
    if (start != null) {
      out.add(range(start, prev));
    }
    return out;
  }

  private static String range(int a, int b) {
    return a == b ? Integer.toString(a) : a + "-" + b;
  }
}
