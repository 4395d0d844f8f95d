package io.vmsup.supervisor.cgroup.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.OptionalLong;
import java.util.Set;

/** Reading and writing cgroupfs files; every failure names the file. */
final class CgFiles {

  private CgFiles() {
  }

  /** Writes {@code value} to {@code dir/file} in one write (cgroupfs takes one value per write). */
  static void write(Path dir, String file, String value) throws IOException {
    Path f = dir.resolve(file);
    try {
      // CREATE: a no-op on cgroupfs, where the kernel made the file; needed on a plain directory tree (tests)
      Files.write(f, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE,
          StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new IOException("cannot write '" + value.trim() + "' to " + f + ": " + reason(e), e);
    }
  }

  static String read(Path dir, String file) throws IOException {
    return Files.readString(dir.resolve(file), StandardCharsets.US_ASCII);
  }

  /** A file holding one number ({@code max} reads as empty). */
  static OptionalLong number(Path dir, String file) {
    try {
      String s = read(dir, file).trim();
      return s.equals("max") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(s));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The value of {@code key} in a flat-keyed file ({@code oom_kill 3}, {@code usage_usec 123}). */
  static OptionalLong keyed(Path dir, String file, String key) {
    try {
      for (String line : read(dir, file).split("\n")) {
        String[] kv = line.trim().split("\\s+");
        if (kv.length == 2 && kv[0].equals(key)) {
          return OptionalLong.of(Long.parseLong(kv[1]));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // absent file or key: not offered here
    }
    return OptionalLong.empty();
  }

  /** The pids in {@code dir/cgroup.procs}; empty when the directory is gone. */
  static Set<Long> procs(Path dir) throws IOException {
    Set<Long> out = new LinkedHashSet<>();
    try {
      for (String line : read(dir, "cgroup.procs").split("\n")) {
        if (!line.isBlank()) {
          out.add(Long.parseLong(line.trim()));
        }
      }
    } catch (NoSuchFileException gone) {
      return out;
    }
    return out;
  }

  /** Removes an empty cgroup directory; true when it is gone (or was never there). */
  static boolean rmdir(Path dir) throws IOException {
    try {
      Files.deleteIfExists(dir);
      return true;
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      // a plain directory tree (tests) holds the files written into it; cgroupfs removes its own
      if (!isCgroupFs(dir)) {
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) {
            if (Files.isRegularFile(f)) {
              Files.delete(f);
            }
          }
        }
        return Files.deleteIfExists(dir) || !Files.exists(dir);
      }
      throw e;
    }
  }

  private static boolean isCgroupFs(Path dir) {
    try {
      String type = Files.getFileStore(dir).type();
      return type.startsWith("cgroup");
    } catch (IOException e) {
      return true;
    }
  }

  static String reason(IOException e) {
    String m = e.getMessage();
    if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
      m = fse.getReason();
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
