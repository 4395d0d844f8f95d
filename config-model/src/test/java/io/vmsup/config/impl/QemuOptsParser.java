package io.vmsup.config.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * QEMU's own option-string reading ({@code opts_do_parse}, {@code get_opt_name_value} and {@code get_opt_value} in
 * {@code util/qemu-option.c}), written from its rules for the tests: a name runs to the first {@code =} or
 * {@code ,}; a value runs to the first lone {@code ,}; {@code ,,} is a literal comma. A first element without
 * {@code =} is the implied value.
 */
final class QemuOptsParser {

  private QemuOptsParser() {
  }

  /** The parsed pairs; the implied value (if any) comes first under the key {@code impliedKey}. */
  static List<Map.Entry<String, String>> parse(String text, String impliedKey) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    int p = 0;
    boolean first = true;
    while (p < text.length()) {
      int len = 0;
      while (p + len < text.length() && text.charAt(p + len) != '=' && text.charAt(p + len) != ',') {
        len++;
      }
      String name;
      StringBuilder value = new StringBuilder();
      if (p + len >= text.length() || text.charAt(p + len) != '=') {
        if (!first || impliedKey == null) {
          throw new IllegalArgumentException("flag option at " + p + " in " + text);
        }
        name = impliedKey;
        p = value(text, p, value);
      } else {
        name = text.substring(p, p + len);
        p = value(text, p + len + 1, value);
      }
      out.add(Map.entry(name, value.toString()));
      if (p < text.length()) {
        p++; // the separating comma
      }
      first = false;
    }
    return out;
  }

  private static int value(String text, int p, StringBuilder value) {
    while (true) {
      int comma = text.indexOf(',', p);
      int end = comma < 0 ? text.length() : comma;
      value.append(text, p, end);
      if (comma >= 0 && comma + 1 < text.length() && text.charAt(comma + 1) == ',') {
        value.append(',');
        p = comma + 2;
      } else {
        return end;
      }
    }
  }
}
