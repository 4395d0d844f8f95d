package io.vmsup.supervisor.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds (and, as root with apt, fetches) the host tools some tests need: Debian's {@code docker-compose} (v1) and
 * {@code promtool}. Says what it does on stdout; when a tool cannot be had, the caller's test fails with the reason.
 */
public final class HostTools {

  /** The repository's top directory (Surefire runs in the module directory). */
  public static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private HostTools() {
  }

  /** Output and exit code of a finished command. */
  public record Run(int exit, String output) {
  }

  public static Run run(Path dir, List<String> command) throws IOException, InterruptedException {
    return run(dir, command, java.util.Map.of());
  }

  /** As {@link #run(Path, List)}, with these variables added to (or, mapped to null, removed from) the environment. */
  public static Run run(Path dir, List<String> command, java.util.Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    env.forEach((k, v) -> {
      if (v == null) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException(command + " did not finish in 5 minutes");
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** {@code docker-compose} from PATH, installed with apt-get when missing and running as root. */
  public static Path dockerCompose() throws IOException, InterruptedException {
    Path found = onPath("docker-compose");
    if (found != null) {
      return found;
    }
    requireRootApt("docker-compose");
    System.out.println("HostTools: docker-compose missing; running apt-get install docker-compose");
    Run install = run(ROOT, List.of("sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
        + "--no-install-recommends docker-compose || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive "
        + "apt-get install -y -qq --no-install-recommends docker-compose)"));
    found = onPath("docker-compose");
    if (found == null) {
      throw new IOException("apt-get install docker-compose failed (exit " + install.exit() + "): "
          + install.output());
    }
    return found;
  }

  /**
   * {@code promtool} from PATH, else from {@code target/tools}, else unpacked there from the Debian
   * {@code prometheus} package ({@code apt-get download} + {@code dpkg-deb -x}, no install).
   */
  public static Path promtool() throws IOException, InterruptedException {
    Path found = onPath("promtool");
    if (found != null) {
      return found;
    }
    Path tools = ROOT.resolve("supervisor/target/tools");
    Path local = tools.resolve("usr/bin/promtool");
    if (Files.isExecutable(local)) {
      return local;
    }
    if (onPath("apt-get") == null || onPath("dpkg-deb") == null) {
      throw new IOException("promtool not found and no apt-get/dpkg-deb to fetch it (install prometheus)");
    }
    Files.createDirectories(tools);
    System.out.println("HostTools: promtool missing; apt-get download prometheus + dpkg-deb -x into " + tools);
    Run fetch = run(tools, List.of("sh", "-c", "rm -f prometheus_*.deb; (apt-get download prometheus || "
        + "(apt-get update -qq && apt-get download prometheus)) && dpkg-deb -x prometheus_*.deb . && rm -f "
        + "prometheus_*.deb"));
    if (!Files.isExecutable(local)) {
      throw new IOException("could not fetch promtool (exit " + fetch.exit() + "): " + fetch.output());
    }
    return local;
  }

  /**
   * {@code dclint} (the docker-compose linter, npm {@code dclint}) from PATH, else from {@code target/tools}, else
   * installed there with {@code npm install} (the registry's ordinary client).
   */
  public static Path dclint() throws IOException, InterruptedException {
    Path found = onPath("dclint");
    if (found != null) {
      return found;
    }
    Path tools = ROOT.resolve("supervisor/target/tools/dclint");
    Path local = tools.resolve("node_modules/.bin/dclint");
    if (Files.isExecutable(local)) {
      return local;
    }
    if (onPath("npm") == null) {
      throw new IOException("dclint not found and no npm to install it (apt-get install npm)");
    }
    Files.createDirectories(tools);
    System.out.println("HostTools: dclint missing; npm install dclint@3.1.0 into " + tools);
    Run install = run(tools, List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix",
        tools.toString(), "dclint@3.1.0"));
    if (!Files.isExecutable(local)) {
      throw new IOException("npm install dclint failed (exit " + install.exit() + "): " + install.output());
    }
    return local;
  }

  /** The Prometheus server of the same Debian package as {@link #promtool()} (PATH, else unpacked beside it). */
  public static Path prometheus() throws IOException, InterruptedException {
    Path found = onPath("prometheus");
    if (found != null) {
      return found;
    }
    Path server = promtool().resolveSibling("prometheus");
    if (!Files.isExecutable(server)) {
      throw new IOException("no prometheus beside " + promtool() + ": apt-get install prometheus");
    }
    return server;
  }

  /** {@code systemd-analyze} from PATH (Debian package {@code systemd}; in TEST_PACKAGES). */
  public static Path systemdAnalyze() throws IOException {
    Path found = onPath("systemd-analyze");
    if (found == null) {
      throw new IOException("systemd-analyze not found: apt-get install systemd");
    }
    return found;
  }

  private static void requireRootApt(String what) throws IOException {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root || onPath("apt-get") == null) {
      throw new IOException(what + " is not installed and this test cannot install it (needs root and apt-get):"
          + " apt-get install " + what);
    }
  }

  static Path onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, name);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
