package io.vmsup.qmp.impl;

import java.util.LinkedHashSet;
import java.util.Iterator;

/** Remembers the ids of the most recent timed-out commands, so their late replies can be told apart. */
final class LateIds {

  private final int capacity;
  private final LinkedHashSet<Long> ids = new LinkedHashSet<>();

  LateIds(int capacity) {
    this.capacity = capacity;
  }

  void add(long id) {
    ids.add(id);
    if (ids.size() > capacity) {
      Iterator<Long> oldest = ids.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  boolean remove(long id) {
    return ids.remove(id);
  }
}
