package io.vmsup.supervisor.network.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a host tool (ip, nft) to completion. Blocking: call it on a worker only. */
final class Cmd {

  private static final long TIMEOUT_SECONDS = 30;

  private Cmd() {
  }

  /** Runs the command, feeding {@code input} (null for none); its standard output, or an IOException with stderr. */
  static String run(String input, String... argv) throws IOException {
    // one stream: reading two pipes one after the other could stall on a full second pipe
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    Process p = pb.start();
    try {
      if (input != null) {
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", argv) + ": no exit within " + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", argv) + " failed (exit " + p.exitValue() + "): "
            + new String(out, StandardCharsets.UTF_8).trim());
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(String.join(" ", argv) + ": interrupted", e);
    }
  }

  /** As {@link #run(String, String...)}, from a list. */
  static String run(List<String> argv) throws IOException {
    return run(null, argv.toArray(new String[0]));
  }

  /** Runs it, ignoring a failure (clean-up of something that may be gone already); true when it succeeded. */
  static boolean quietly(String... argv) {
    try {
      run(null, argv);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static List<String> of(String... parts) {
    return new ArrayList<>(List.of(parts));
  }
}
