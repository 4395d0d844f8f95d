package io.vmsup.config.impl;

import io.vmsup.config.Size;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The one builder of QEMU {@code key=value,...} option text. Values are typed (text, integer, boolean, size) so the
 * same options also become a QMP argument map ({@link #toQmp(String)}): one source of truth for the command line and
 * for hot-plug. Every value goes through {@link #escape(String)}; nothing else in vmsup writes {@code key=value}.
 */
public final class QemuOpts {

  private final String implied;
  private final List<Map.Entry<String, Object>> entries = new ArrayList<>();

  private QemuOpts(String implied) {
    this.implied = implied;
  }

  /** Options whose first element is a bare value (a driver, a type, a machine) rather than {@code key=value}. */
  public static QemuOpts of(String implied) {
    // qemu-option.c: a first element containing '=' is read as key=value, so a bare value cannot hold one
    if (implied.isEmpty() || implied.indexOf('=') >= 0 || implied.indexOf(',') >= 0) {
      throw new IllegalArgumentException("bad implied option value '" + implied + "'");
    }
    return new QemuOpts(implied);
  }

  /** Options made of {@code key=value} pairs only. */
  public static QemuOpts keyed() {
    return new QemuOpts(null);
  }

  /**
   * QEMU's option escaping ({@code get_opt_value} in {@code util/qemu-option.c}): a comma inside a value is written
   * twice. Nothing else is special inside a value, so doubling commas is complete.
   */
  public static String escape(String value) {
    return value.replace(",", ",,");
  }

  /** Adds {@code key=value}; value is a String, Integer, Long, Boolean or {@link Size}. Keys may repeat. */
  public QemuOpts add(String key, Object value) {
    Objects.requireNonNull(value, key);
    if (!(value instanceof String || value instanceof Integer || value instanceof Long || value instanceof Boolean
        || value instanceof Size)) {
      throw new IllegalArgumentException("unsupported option value type for " + key + ": " + value.getClass());
    }
    if (key.isEmpty() || key.indexOf(',') >= 0 || key.indexOf('=') >= 0) {
      throw new IllegalArgumentException("bad option key '" + key + "'");
    }
    entries.add(Map.entry(key, value));
    return this;
  }

  /**
   * Sets {@code bus} (replacing a {@code bus} entry in place, else appending) and puts {@code addr} right after it.
   */
  public QemuOpts placeOn(String bus, String addr) {
    add("addr", addr);
    Map.Entry<String, Object> addrEntry = entries.remove(entries.size() - 1);
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).getKey().equals("bus")) {
        entries.set(i, Map.entry("bus", bus));
        entries.add(i + 1, addrEntry);
        return this;
      }
    }
    add("bus", bus);
    entries.add(addrEntry);
    return this;
  }

  /** The value of the first entry with this key. */
  public Optional<Object> get(String key) {
    return entries.stream().filter(e -> e.getKey().equals(key)).map(Map.Entry::getValue).findFirst();
  }

  /** Adds the value when present. */
  public QemuOpts add(String key, Optional<?> value) {
    value.ifPresent(v -> add(key, v));
    return this;
  }

  /** Adds the value when present. */
  public QemuOpts add(String key, OptionalInt value) {
    value.ifPresent(v -> add(key, v));
    return this;
  }

  /** Adds the value when present. */
  public QemuOpts add(String key, OptionalLong value) {
    value.ifPresent(v -> add(key, v));
    return this;
  }

  /** Adds {@code key=on} only when the condition holds. */
  public QemuOpts addIfTrue(String key, boolean condition) {
    return condition ? add(key, Boolean.TRUE) : this;
  }

  /** The bare first element, if any. */
  public Optional<String> implied() {
    return Optional.ofNullable(implied);
  }

  /** The {@code key=value} entries in order. */
  public List<Map.Entry<String, Object>> entries() {
    return Collections.unmodifiableList(entries);
  }

  /** The command-line text: the implied value, then {@code key=value} pairs, every value escaped. */
  public String toArg() {
    StringBuilder out = new StringBuilder();
    if (implied != null) {
      out.append(escape(implied));
    }
    for (Map.Entry<String, Object> e : entries) {
      if (out.length() > 0) {
        out.append(',');
      }
      out.append(e.getKey()).append('=').append(escape(text(e.getValue())));
    }
    return out.toString();
  }

  /**
   * The QMP argument map: the implied value under {@code impliedKey}, typed values (numbers and booleans stay JSON
   * numbers and booleans, sizes become bytes), dotted keys nested ({@code file.filename} → {@code {"file":
   * {"filename": ...}}}), repeated keys as lists.
   */
  public Map<String, Object> toQmp(String impliedKey) {
    Map<String, Object> root = new LinkedHashMap<>();
    if (implied != null) {
      root.put(impliedKey, implied);
    }
    for (Map.Entry<String, Object> e : entries) {
      put(root, e.getKey(), qmpValue(e.getValue()));
    }
    return root;
  }

  @Override
  public String toString() {
    return toArg();
  }

  static String text(Object value) {
    if (value instanceof Boolean b) {
      return b ? "on" : "off";
    }
    if (value instanceof Size s) {
      return s.toQemu();
    }
    return value.toString();
  }

  private static Object qmpValue(Object value) {
    return value instanceof Size s ? s.bytes() : value;
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> root, String key, Object value) {
    int dot = key.indexOf('.');
    if (dot > 0) {
      Object child = root.computeIfAbsent(key.substring(0, dot), k -> new LinkedHashMap<String, Object>());
      put((Map<String, Object>) child, key.substring(dot + 1), value);
      return;
    }
    Object previous = root.get(key);
    if (previous == null) {
      root.put(key, value);
    } else if (previous instanceof List<?> list) {
      ((List<Object>) list).add(value);
    } else {
      root.put(key, new ArrayList<>(List.of(previous, value)));
    }
  }
}
