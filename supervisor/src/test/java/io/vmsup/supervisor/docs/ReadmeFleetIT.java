package io.vmsup.supervisor.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "A fleet: two members on one machine" works verbatim: its shell lines are read from README.md (so
 * the test and the text cannot drift) and run with bash, in a directory laid out like a fresh clone (the real
 * {@code ./vmsup} script, {@code examples/}, fresh state directories). The one stand-in is the jar: in the test phase
 * the shaded jar does not exist yet, so {@code supervisor/target/vmsup.jar} is a manifest-only jar whose
 * {@code Class-Path} is this test's class path (the same classes). The two {@code run} lines are started in the
 * background (the README's "two terminals"); every other line must exit 0, and the VM must run on member b.
 */
class ReadmeFleetIT {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final String SECTION = "## A fleet: two members on one machine";
  private static final Pattern ROW = Pattern.compile("(?m)^on-b\\s+(\\S+)\\s+(\\S+)\\s+(\\d+)\\s");

  @TempDir
  Path clone;
  private final List<Process> daemons = new ArrayList<>();

  @Test
  void theTwoMemberCommandsWorkVerbatim() throws Exception {
    List<List<String>> blocks = shellBlocks(Files.readString(ROOT.resolve("README.md")));
    assertThat(blocks).as("two sh blocks under '%s' in README.md", SECTION).hasSize(2);
    List<String> setUp = blocks.get(0);
    assertThat(setUp).hasSize(3);
    assertThat(setUp.get(0)).startsWith("./vmsup cluster init ");
    assertThat(setUp.subList(1, 3)).allMatch(l -> l.startsWith("./vmsup run --cluster "));
    for (String line : setUp.subList(1, 3)) {
      for (Matcher m = Pattern.compile("--(?:http|cluster|cluster-bus)-port (\\d+)").matcher(line); m.find(); ) {
        assertPortFree(Integer.parseInt(m.group(1)));
      }
    }
    layOutClone();

    Result init = bash(setUp.get(0));
    assertThat(init.exit()).as(init.output()).isZero();
    assertThat(clone.resolve("fleet-certs/a/member.pem")).exists();
    assertThat(clone.resolve("fleet-certs/b/member-key.pem")).exists();
    Path logA = startDaemon(setUp.get(1), "a");
    Path logB = startDaemon(setUp.get(2), "b");
    awaitListening(logA);
    awaitListening(logB);

    for (String line : blocks.get(1)) {
      Result r = bash(line);
      assertThat(r.exit()).as("%s\n%s", line, r.output()).isZero();
      if (line.startsWith("./vmsup vm start ")) {
        assertRunsOnB();
      } else if (line.startsWith("./vmsup vm list ")) {
        Matcher row = ROW.matcher(r.output());
        assertThat(row.find()).as(r.output()).isTrue();
        assertThat(row.group(1)).isEqualTo("RUNNING");
        assertThat(row.group(2)).isEqualTo("b");
      } else if (line.startsWith("./vmsup hosts ")) {
        List<String> table = r.output().lines().toList();
        assertThat(table.get(0)).startsWith("HOST ").contains(" STATE ", " CORDONED ", " VMS ");
        assertThat(table.subList(1, table.size())).hasSize(2).anyMatch(l -> l.matches("a +up +no .*"))
            .anyMatch(l -> l.matches("b +up +no +1 .*"));
      } else if (line.startsWith("./vmsup vm kill ")) {
        assertThat(r.output()).contains("\"state\" : \"STOPPED\"", "\"host\" : \"b\"");
      }
    }
  }

  /** The QEMU of on-b is a live process holding b's state directory; a holds nothing of it. */
  private void assertRunsOnB() throws IOException {
    Path pidFile = clone.resolve("fleet-b/vms/on-b/qemu.pid");
    assertThat(pidFile).exists();
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
    String cmdline = Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline")).replace('\0', ' ');
    assertThat(cmdline).contains("qemu-system").contains(clone.resolve("fleet-b").toString());
    assertThat(clone.resolve("fleet-a/vms/on-b")).doesNotExist();
  }

  /** The ```sh blocks of the README's fleet section, one command per entry (continuation lines joined). */
  static List<List<String>> shellBlocks(String readme) {
    int at = readme.indexOf("\n" + SECTION + "\n");
    assertThat(at).as("README.md has the section '%s'", SECTION).isNotNegative();
    int end = readme.indexOf("\n## ", at + SECTION.length() + 1);
    String[] lines = readme.substring(at, end < 0 ? readme.length() : end).split("\n");
    List<List<String>> blocks = new ArrayList<>();
    List<String> block = null;
    StringBuilder pending = new StringBuilder();
    for (String line : lines) {
      if (block == null && line.equals("```sh")) {
        block = new ArrayList<>();
      } else if (block != null && line.equals("```")) {
        blocks.add(block);
        block = null;
      } else if (block != null && !line.isBlank()) {
        pending.append(line.endsWith("\\") ? line.substring(0, line.length() - 1) : line);
        if (!line.endsWith("\\")) {
          block.add(pending.toString().trim());
          pending.setLength(0);
        }
      }
    }
    return blocks;
  }

  private void layOutClone() throws IOException {
    Path script = clone.resolve("vmsup");
    Files.copy(ROOT.resolve("vmsup"), script);
    assertThat(script.toFile().setExecutable(true)).isTrue();
    Files.createSymbolicLink(clone.resolve("examples"), ROOT.resolve("examples"));
    Path target = Files.createDirectories(clone.resolve("supervisor/target"));
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.vmsup.supervisor.main.Main");
    StringBuilder classPath = new StringBuilder();
    String testPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String entry : testPath.split(java.io.File.pathSeparator)) {
      classPath.append(Path.of(entry).toAbsolutePath().toUri()).append(' ');
    }
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString().trim());
    try (OutputStream out = Files.newOutputStream(target.resolve("vmsup.jar"));
        JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.flush();
    }
    // the script's AppCDS archive of the CLI classes cannot be dumped from a class path of directories; an archive
    // newer than the jar stops it from trying at every call (the JVM ignores an unusable one under -Xshare:auto)
    Path cds = Files.createFile(target.resolve("vmsup-cli.jsa"));
    assertThat(cds.toFile().setLastModified(System.currentTimeMillis() + 60_000)).isTrue();
  }

  private record Result(int exit, String output) {
  }

  private Result bash(String line) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", line).directory(clone.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(line + " did not end within 5 minutes: " + new String(out, StandardCharsets.UTF_8));
    }
    String text = new String(out, StandardCharsets.UTF_8);
    System.out.println("$ " + line + "\n" + text);
    return new Result(p.exitValue(), text);
  }

  private Path startDaemon(String line, String host) throws IOException {
    Path log = clone.resolve("daemon-" + host + ".log");
    Process p = new ProcessBuilder("bash", "-c", "exec " + line).directory(clone.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    p.getOutputStream().close();
    daemons.add(p);
    return log;
  }

  /** Until the daemon says it listens (a member joins the cluster first; slow on a loaded machine). */
  private static void awaitListening(Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      String text = Files.readString(log);
      if (text.contains("vmsup: listening on ")) {
        return;
      }
      if (text.contains("vmsup: stopped") || text.contains("Exception in thread")) {
        throw new AssertionError("the daemon ended:\n" + text);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no 'listening' within 5 minutes:\n" + Files.readString(log));
  }

  private static void assertPortFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(s.getLocalPort()).isEqualTo(port);
    } catch (IOException e) {
      throw new AssertionError("port " + port + " (named in the README's fleet commands) is in use here", e);
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : daemons) {
      p.toHandle().destroy();
    }
    for (Process p : daemons) {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    // a QEMU left by a failed run (its command line names the clone's state directories)
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      all.filter(h -> h.info().commandLine().orElse("").contains(clone.toString())).forEach(ProcessHandle::destroyForcibly);
    }
  }
}
