package io.vmsup.supervisor.main;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmsup.supervisor.cli.VmsupCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vmsup run} skips the picocli command tree (the daemon would keep its ~230 classes loaded for nothing) and
 * still answers exactly as the tree does, including the two things picocli changes on the way (a {@code --} dropped,
 * an {@code @file} expanded).
 */
class MainRunTest {

  @TempDir
  Path dir;

  @Test
  void answersAsTheCommandTreeDoes() throws IOException {
    Path argFile = dir.resolve("args");
    Files.writeString(argFile, "--no-such-setting\n");
    List<String[]> calls = List.of(
        new String[] {"run", "--help"},
        new String[] {"run", "-h"},
        new String[] {"run", "--no-such-setting"},
        new String[] {"run", "--http-port", "not-a-port"},
        new String[] {"run", "--http-port"},
        new String[] {"run", "--", "--help"},
        new String[] {"run", "@" + argFile},
        new String[] {"run", "positional"});
    for (String[] call : calls) {
      Answer direct = answer(call, true);
      Answer tree = answer(call, false);
      assertThat(direct).as(String.join(" ", call)).isEqualTo(tree);
    }
    assertThat(answer(new String[] {"run", "@" + argFile}, true).err()).contains("--no-such-setting");
    assertThat(answer(new String[] {"run", "--", "--help"}, true).out()).contains("usage: vmsup run");
  }

  @Test
  void whichCallsSkipTheTree() {
    assertThat(Main.isPlainRun(new String[] {"run"})).isTrue();
    assertThat(Main.isPlainRun(new String[] {"run", "--state-dir", "/x", "--cluster"})).isTrue();
    assertThat(Main.isPlainRun(new String[] {"run", "--", "--help"})).isFalse();
    assertThat(Main.isPlainRun(new String[] {"run", "@args"})).isFalse();
    assertThat(Main.isPlainRun(new String[] {"vm", "run"})).isFalse();
    assertThat(Main.isPlainRun(new String[] {})).isFalse();
  }

  @Test
  void theDaemonsJvmLoadsNoPicocliClass() throws Exception {
    // the same run --help answer, once straight and once through the tree (a "--" routes it there): the class log
    // shows picocli only in the second, so the first is not a test that cannot fail
    String straight = classLog("run", "--help");
    String tree = classLog("run", "--", "--help");
    assertThat(straight).contains("usage: vmsup run").contains("io.vmsup.supervisor.daemon.RunCommand")
        .doesNotContain(" picocli.").doesNotContain("io.vmsup.supervisor.client.");
    assertThat(tree).contains("usage: vmsup run").contains(" picocli.CommandLine ");
  }

  private static String classLog(String... args) throws Exception {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString()));
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports") || arg.startsWith("--add-modules")) {
        command.add(arg);
      }
    }
    command.addAll(List.of("-Xshare:auto", "-Xlog:class+load=info", "-cp", classPath, Main.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }

  private static Answer answer(String[] args, boolean viaMain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code = viaMain ? Main.run(args, o, e) : VmsupCli.run(args, System.getenv(), System.in, o, e);
    return new Answer(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private record Answer(int code, String out, String err) {
  }
}
