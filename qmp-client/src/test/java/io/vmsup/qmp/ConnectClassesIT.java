package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmsup.qmp.testing.Await;
import io.vmsup.qmp.testing.QemuExtension;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link QmpClient#preloadClasses()} loads what a first QMP connection loads, so that a daemon re-adopting many QEMUs
 * at once does not load Netty's and Vert.x's classes on its event loops (5-10 s blocked at load 50-77). A JVM of its
 * own ({@link ConnectClassesProbe}, with {@code -Xlog:class+load}) preloads, then connects to a real QEMU with the
 * peer check and runs {@code query-status}: no class of Netty, Vert.x or this client may load during the connect
 * but the few of a path that runs only when QEMU is slow.
 * The same probe without the preload loads hundreds (the case that shows the log can see them). About 3 s.
 */
class ConnectClassesIT {

  /** Classes a slow QEMU's paths may still load after the preload. */
  private static final int SLOW_PATHS = 8;

  private static final List<String> PACKAGES = List.of("io.netty.", "io.vertx.", "io.vmsup.qmp.");

  @RegisterExtension
  final QemuExtension qemu = QemuExtension.machineNone();

  @Test
  void afterThePreloadAFirstConnectLoadsNoNettyVertxOrClientClass() throws Exception {
    Await.result(qemu.connect().close());
    List<String> without = loadedDuringConnect(false);
    assertThat(without).as("classes a cold connect loads (the log sees them)").hasSizeGreaterThan(50);
    // a path that runs only when QEMU is slow (the negotiation's second connection) may load a few more
    assertThat(loadedDuringConnect(true))
        .as("classes the connect still loaded after the preload (add them to connect-classes.txt)")
        .hasSizeLessThanOrEqualTo(SLOW_PATHS);
  }

  private List<String> loadedDuringConnect(boolean preload) throws Exception {
    Path log = qemu.dir().resolve("classes-" + preload + ".log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xlog:class+load=info:file=" + log));
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("--enable-native-access")) {
        command.add(arg);
      }
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ConnectClassesProbe.class.getName(),
        qemu.process().socket().toString(), Long.toString(qemu.process().pid()), preload ? "preload" : "cold"));
    Process probe = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(qemu.dir().resolve("probe-" + preload + ".out").toFile()).start();
    assertThat(probe.waitFor(120, TimeUnit.SECONDS)).as("the probe ended").isTrue();
    assertThat(probe.exitValue()).as(Files.readString(qemu.dir().resolve("probe-" + preload + ".out"))).isZero();
    return between(log);
  }

  private static List<String> between(Path log) throws IOException {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String line : Files.readAllLines(log)) {
      // [0.123s][info][class,load] io.netty.Foo source: jar:...
      int at = line.indexOf("[class,load] ");
      if (at < 0) {
        continue;
      }
      String name = line.substring(at + 13).split(" ")[0];
      if (name.equals(ConnectClassesProbe.Before.class.getName())) {
        in = true;
      } else if (name.equals(ConnectClassesProbe.After.class.getName())) {
        in = false;
      } else if (in && PACKAGES.stream().anyMatch(name::startsWith) && !name.contains("/0x")
          && !name.startsWith(ConnectClassesProbe.class.getName())) {
        // a lambda's hidden class (name/0x...) is spun at its call site's first use: no name to load it by
        out.add(name);
      }
    }
    return out;
  }
}
