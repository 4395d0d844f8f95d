package io.vmsup.supervisor.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The QMP simulator's binary for tests: built from {@code qmp-sim/} by {@code scripts/build-qmp-sim} when stale. */
public final class QmpSim {

  private static Path binary;

  private QmpSim() {
  }

  /** The path of {@code qmp-sim/target/qmp-sim}, compiled first when missing or older than its sources. */
  public static synchronized Path binary() throws IOException, InterruptedException {
    if (binary == null) {
      Path root = Path.of("").toAbsolutePath();
      while (root != null && !Files.exists(root.resolve("scripts/build-qmp-sim"))) {
        root = root.getParent();
      }
      if (root == null) {
        throw new IOException("scripts/build-qmp-sim not found above " + Path.of("").toAbsolutePath());
      }
      Process p = new ProcessBuilder(root.resolve("scripts/build-qmp-sim").toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("building the QMP simulator failed: " + out);
      }
      binary = Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
    }
    return binary;
  }
}
