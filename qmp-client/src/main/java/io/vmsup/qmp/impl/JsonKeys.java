package io.vmsup.qmp.impl;

/**
 * The member names {@link JsonReader} has seen lately, so the few names QMP uses ({@code return}, {@code id},
 * {@code status}, ...) are not made again for every message: a small table of slots by hash, each holding the last
 * short ASCII name that hashed to it. Strings are immutable, so sharing the table between threads without a lock is
 * safe (a thread may miss another's latest entry, never read a torn one).
 */
final class JsonKeys {

  /** Longer names are not kept. */
  static final int MAX_LENGTH = 32;

  private static final String[] SLOTS = new String[512];

  private JsonKeys() {
  }

  /** The kept name equal to the ASCII bytes {@code b[from, from + length)} whose hash is {@code hash}, or null. */
  static String find(byte[] b, int from, int length, int hash) {
    String s = SLOTS[slot(hash)];
    if (s == null || s.length() != length) {
      return null;
    }
    for (int k = 0; k < length; k++) {
      if (s.charAt(k) != b[from + k]) {
        return null;
      }
    }
    return s;
  }

  static void remember(int hash, String name) {
    SLOTS[slot(hash)] = name;
  }

  private static int slot(int hash) {
    return (hash ^ (hash >>> 9)) & (SLOTS.length - 1);
  }
}
