package io.vmsup.config.impl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code machine.options}: extra {@code -machine} properties. Shape only here (names, value types, properties that
 * vmsup types elsewhere or refuses); whether the installed QEMU knows a name is {@link MachineProperties}'s job.
 */
final class MachineOptions {

  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
  /** Properties that name host files QEMU reads: absolute paths, checked on the host like the spec's other paths. */
  static final Set<String> FILES = Set.of("kernel", "initrd", "firmware", "dtb");
  /** Properties with a typed home in the spec (or owned by vmsup), by name → where to say it instead. */
  static final Map<String, String> TYPED = Map.ofEntries(Map.entry("type", "machine.type"),
      Map.entry("accel", "machine.accel"), Map.entry("nvdimm", "machine.nvdimm"), Map.entry("smm", "machine.smm"),
      Map.entry("dump-guest-core", "machine.dumpGuestCore"), Map.entry("mem-merge", "machine.memMerge"),
      Map.entry("memory-backend", "memory and knobs (vmsup owns the RAM backend)"),
      Map.entry("pflash0", "pflash"), Map.entry("pflash1", "pflash"), Map.entry("smp", "smp"),
      Map.entry("memory", "memory"), Map.entry("append", "kernel.cmdline"));

  private MachineOptions() {
  }

  static Map<String, String> parse(Obj machine) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode node = machine.raw("options").orElse(null);
    if (node == null) {
      return out;
    }
    Problems p = machine.problems();
    String path = machine.at("options");
    if (!node.isObject()) {
      p.add(path, "must be an object of -machine properties, not " + Obj.type(node));
      return out;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String at = path + "." + f.getKey();
      if (name(p, at, f.getKey())) {
        value(p, at, f.getKey(), f.getValue()).ifPresent(v -> out.put(f.getKey(), v));
      }
    }
    return out;
  }

  private static boolean name(Problems p, String at, String name) {
    if (!NAME.matcher(name).matches()) {
      p.add(at, "is not a -machine property name: 1-64 characters from a-z 0-9 _ - starting with a letter");
      return false;
    }
    if (name.equals("dumpdtb")) {
      p.add(at, "is refused: it makes QEMU write a host file and quit");
      return false;
    }
    String home = TYPED.get(name);
    if (home != null) {
      p.add(at, "is set through " + home + ", not machine.options");
      return false;
    }
    return true;
  }

  private static java.util.Optional<String> value(Problems p, String at, String name, JsonNode v) {
    String text;
    if (v.isBoolean()) {
      text = v.booleanValue() ? "on" : "off";
    } else if (v.isIntegralNumber() && v.canConvertToLong()) {
      text = Long.toString(v.longValue());
    } else if (v.isTextual()) {
      text = v.textValue();
    } else {
      p.add(at, "must be a string, an integer or a boolean, not " + Obj.type(v));
      return java.util.Optional.empty();
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < 0x20 || text.charAt(i) == 0x7f) {
        p.add(at, "must not contain control characters");
        return java.util.Optional.empty();
      }
    }
    if (text.isEmpty() || text.length() > 4096) {
      p.add(at, "must be 1-4096 characters");
      return java.util.Optional.empty();
    }
    if (FILES.contains(name) && !Rules.isAbsolutePath(text)) {
      p.add(at, "names a host file: must be an absolute path");
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(text);
  }
}
