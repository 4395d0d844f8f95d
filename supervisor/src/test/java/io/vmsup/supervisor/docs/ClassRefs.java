package io.vmsup.supervisor.docs;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The classes a compiled class refers to, read from its constant pool (JVMS §4.4): every {@code CONSTANT_Class} and
 * every class named in a descriptor or generic signature ({@code Lpkg/Name;}), so a fully qualified use in the
 * source counts as much as an import. Names are internal ({@code io/vmsup/qmp/QmpCommand}).
 */
final class ClassRefs {

  private static final Pattern IN_DESCRIPTOR = Pattern.compile("L([A-Za-z_$][\\w$]*(?:/[\\w$]+)+)[;<]");

  private ClassRefs() {
  }

  /** Every {@code .class} file under {@code root}. */
  static List<Path> classFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    }
  }

  /** The internal names of the classes {@code classFile} refers to. */
  static Set<String> of(Path classFile) throws IOException {
    try (InputStream raw = Files.newInputStream(classFile); DataInputStream in = new DataInputStream(raw)) {
      if (in.readInt() != 0xCAFEBABE) {
        throw new IOException(classFile + " is no class file");
      }
      in.readUnsignedShort();
      in.readUnsignedShort();
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      List<Integer> classIndexes = new ArrayList<>();
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 7 -> classIndexes.add(in.readUnsignedShort());
          case 8, 16, 19, 20 -> in.readUnsignedShort();
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
          case 15 -> {
            in.readUnsignedByte();
            in.readUnsignedShort();
          }
          case 5, 6 -> {
            in.readLong();
            i++;
          }
          default -> throw new IOException(classFile + ": unknown constant pool tag " + tag);
        }
      }
      Set<String> out = new TreeSet<>();
      for (int ci : classIndexes) {
        String name = utf8[ci];
        String element = name.startsWith("[") ? element(name) : name;
        if (element != null) {
          out.add(element);
        }
      }
      for (String s : utf8) {
        if (s != null) {
          Matcher m = IN_DESCRIPTOR.matcher(s);
          while (m.find()) {
            out.add(m.group(1));
          }
        }
      }
      return out;
    }
  }

  private static String element(String arrayDescriptor) {
    Matcher m = IN_DESCRIPTOR.matcher(arrayDescriptor);
    return m.find() ? m.group(1) : null;
  }

  /** {@code io/vmsup/qmp/impl/Decoders} → {@code io.vmsup.qmp.impl}. */
  static String packageOf(String internalName) {
    int slash = internalName.lastIndexOf('/');
    return slash < 0 ? "" : internalName.substring(0, slash).replace('/', '.');
  }
}
