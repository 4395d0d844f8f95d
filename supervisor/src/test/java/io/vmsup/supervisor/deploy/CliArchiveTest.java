package io.vmsup.supervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's class-data archive ({@code supervisor/target/vmsup-cli.jsa}, used by every {@code ./vmsup vm ...} call
 * while it is newer than the jar) may be damaged on disk. Under {@code -Xshare:auto} alone the JVM maps a damaged
 * archive and crashes (SIGSEGV in {@code CppVtables::serialize}, every CLI call, until the jar changes); with the
 * script's CLI flags it checks the archive's checksum, refuses it and runs without it. A real archive of a small
 * program, damaged, run with the flags the script uses. About 3 s.
 */
class CliArchiveTest {

  private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("vmsup");
  private static final Pattern CLI_FLAGS = Pattern.compile("(?m)^CLI_FLAGS=\\(([^)]*)\\)");

  @TempDir
  Path dir;

  @Test
  void aDamagedArchiveIsRefusedNotMapped() throws Exception {
    Matcher m = CLI_FLAGS.matcher(Files.readString(SCRIPT));
    assertThat(m.find()).as("./vmsup defines CLI_FLAGS").isTrue();
    List<String> flags = Arrays.asList(m.group(1).trim().split("\\s+"));
    Path jar = probeJar();
    Path list = dir.resolve("classes.lst");
    Path archive = dir.resolve("probe.jsa");
    assertThat(java(List.of("-XX:DumpLoadedClassList=" + list), jar)).contains("probe-ok");
    java(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + list, "-XX:SharedArchiveFile=" + archive), null);
    assertThat(archive).exists();
    damage(archive);

    List<String> withFlags = new ArrayList<>(flags);
    withFlags.add("-XX:SharedArchiveFile=" + archive);
    assertThat(java(withFlags, jar)).as("a CLI call with the damaged archive").contains("probe-ok");
  }

  /** 64 bytes of 0xff every 64 KiB from 4 KiB on: the archive's mapped regions, not its header's sizes. */
  private static void damage(Path archive) throws Exception {
    assertThat(archive.toFile().setWritable(true)).isTrue();
    try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
      byte[] junk = new byte[64];
      Arrays.fill(junk, (byte) 0xff);
      for (long at = 4096; at < f.length(); at += 65536) {
        f.seek(at);
        f.write(junk);
      }
    }
  }

  private Path probeJar() throws Exception {
    String name = CdsProbe.class.getName().replace('.', '/') + ".class";
    Path jar = dir.resolve("probe.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
      j.putNextEntry(new JarEntry(name));
      try (var in = CdsProbe.class.getClassLoader().getResourceAsStream(name)) {
        in.transferTo(j);
      }
      j.closeEntry();
    }
    return jar;
  }

  /** Runs {@link CdsProbe} (or only the JVM's dump, {@code jar} null); its output, after a zero exit. */
  private String java(List<String> flags, Path jar) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString()));
    command.addAll(flags);
    command.addAll(List.of("-cp", jar == null ? dir.resolve("probe.jar").toString() : jar.toString()));
    if (jar != null) {
      command.add(CdsProbe.class.getName());
    }
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(command + "\n" + out).isZero();
    return out;
  }
}
