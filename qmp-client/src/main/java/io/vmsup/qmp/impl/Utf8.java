package io.vmsup.qmp.impl;

import io.vmsup.qmp.QmpProtocolException;

/**
 * Strict UTF-8 (RFC 3629) for {@link JsonReader}'s strings: a stray continuation byte, an invalid lead byte, a
 * truncated sequence, an overlong form, a surrogate or a code point past U+10FFFF is no character, and the message
 * holding it is refused (as Jackson refuses it) rather than decoded into U+FFFD. QEMU escapes every non-ASCII
 * character it sends ({@code \\uXXXX}), so raw bytes above 0x7f come only from another peer.
 */
final class Utf8 {

  private Utf8() {
  }

  /**
   * The length (2 to 4) of the sequence that starts at the non-ASCII byte {@code b[pos]}.
   *
   * @throws QmpProtocolException when it is not valid UTF-8
   */
  static int length(byte[] b, int pos, int end) {
    int n = sequence(b, pos, end);
    if (n == 0) {
      throw new QmpProtocolException("not valid JSON: invalid UTF-8 " + hex(b, pos, end) + " in a string at byte "
          + pos);
    }
    return n;
  }

  /** The length of the valid sequence at {@code b[pos]}, or 0. */
  static int sequence(byte[] b, int pos, int end) {
    int lead = b[pos] & 0xFF;
    int more = lead >= 0xC2 && lead <= 0xDF ? 1 : lead >= 0xE0 && lead <= 0xEF ? 2 : lead >= 0xF0 && lead <= 0xF4 ? 3
        : 0;
    if (more == 0 || pos + more >= end) {
      return 0;
    }
    int cp = lead & (0x3F >> more);
    for (int i = 1; i <= more; i++) {
      if ((b[pos + i] & 0xC0) != 0x80) {
        return 0;
      }
      cp = cp << 6 | (b[pos + i] & 0x3F);
    }
    int least = more == 1 ? 0x80 : more == 2 ? 0x800 : 0x10000;
    return cp < least || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ? 0 : more + 1;
  }

  private static String hex(byte[] b, int pos, int end) {
    StringBuilder sb = new StringBuilder("(bytes");
    for (int i = pos; i < Math.min(end, pos + 4); i++) {
      sb.append(String.format(" 0x%02x", b[i] & 0xFF));
    }
    return sb.append(')').toString();
  }
}
