package io.vmsup.qmp.impl;

import java.util.BitSet;

/**
 * The command ids of one connection, kept short: QEMU 7.2 reads its monitor one byte per system call, so a five-digit id
 * costs every command a few microseconds of QEMU's time that a one-digit id does not. An id goes back to the pool only
 * once its reply arrived (a timed-out command's id only with its late reply), and is given out again only after
 * {@link #QUARANTINE} other ids were freed behind it, so a reply that repeats an id soon after is still nobody's. The
 * smallest free id is given out first. Runs on the connection's context.
 */
final class IdPool {

  /** Ids freed after this one before it may be given out again. */
  static final int QUARANTINE = 8;

  private final long[] recent = new long[QUARANTINE];
  private final BitSet free = new BitSet();
  private int head;
  private int held;
  private long next = 1;

  /** An id no command waiting for its reply has. */
  long take() {
    int id = free.nextSetBit(1);
    if (id > 0) {
      free.clear(id);
      return id;
    }
    return next++;
  }

  /** {@code id}'s reply arrived: nobody will answer it again. */
  void release(long id) {
    if (held < QUARANTINE) {
      recent[(head + held++) % QUARANTINE] = id;
      return;
    }
    long oldest = recent[head];
    recent[head] = id;
    head = (head + 1) % QUARANTINE;
    if (oldest < Integer.MAX_VALUE) {
      free.set((int) oldest);
    }
  }
}
