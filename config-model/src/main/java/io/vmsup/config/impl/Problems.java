package io.vmsup.config.impl;

import io.vmsup.config.Violation;
import java.util.ArrayList;
import java.util.List;

/** Collects violations; parsing goes on after each so that every problem is reported at once. */
final class Problems {

  private final List<Violation> list = new ArrayList<>();

  void add(String path, String message) {
    list.add(new Violation(path, message));
  }

  /** Adds the violation unless the condition holds; returns the condition. */
  boolean check(boolean ok, String path, String message) {
    if (!ok) {
      add(path, message);
    }
    return ok;
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  List<Violation> list() {
    return List.copyOf(list);
  }
}
