package io.vmsup.supervisor.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The libvirt side of {@code bench libvirt}: {@code scripts/libvirt-driver.py} (python3-libvirt on one
 * {@code qemu:///system} connection) as a child process, one JSON request and answer per line. The driver times each
 * libvirt call itself; libvirtd and virtlogd were started by {@code scripts/bench-libvirt}, which passes their pids.
 */
final class LibvirtSide implements AutoCloseable {

  private final Process process;
  private final BufferedReader in;
  private final Writer out;
  private final long libvirtd;
  private final long virtlogd;
  private final String versions;

  private LibvirtSide(Process process, long libvirtd, long virtlogd) throws IOException {
    this.process = process;
    this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.out = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.libvirtd = libvirtd;
    this.virtlogd = virtlogd;
    JsonObject hello = call(new JsonObject().put("op", "hello"));
    this.versions = "libvirt " + hello.getString("libvirt") + " (QEMU " + hello.getString("qemu") + ")";
  }

  /** Starts the driver named by the environment scripts/bench-libvirt sets; fails saying how to run the bench. */
  static LibvirtSide launch(String qemu) throws IOException {
    String driver = System.getenv("VMSUP_LIBVIRT_DRIVER");
    String libvirtd = System.getenv("VMSUP_LIBVIRTD_PID");
    String virtlogd = System.getenv("VMSUP_VIRTLOGD_PID");
    if (driver == null || libvirtd == null || virtlogd == null) {
      throw new IOException("libvirt is not set up: run ./vmsup bench libvirt (scripts/bench-libvirt starts libvirtd "
          + "and virtlogd and the driver), or add --vmsup-only");
    }
    String python = System.getenv().getOrDefault("VMSUP_LIBVIRT_PYTHON", "/usr/bin/python3");
    Process p = new ProcessBuilder(python, driver, qemu).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return new LibvirtSide(p, Long.parseLong(libvirtd.trim()), Long.parseLong(virtlogd.trim()));
  }

  String versions() {
    return versions;
  }

  long libvirtdPid() {
    return libvirtd;
  }

  /** libvirtd + virtlogd resident memory, KiB. */
  long rssKib() throws IOException {
    return ProcStat.rssKib(libvirtd) + ProcStat.rssKib(virtlogd);
  }

  /** libvirtd + virtlogd proportional set size ({@code Pss}), KiB. */
  long pssKib() throws IOException {
    return ProcStat.pssKib(libvirtd) + ProcStat.pssKib(virtlogd);
  }

  /** virDomainCreateXML of a transient domain until running, ns. */
  long start(String name) throws IOException {
    return call(new JsonObject().put("op", "start").put("name", name)).getLong("ns");
  }

  /** virDomainDestroy, ns. */
  long kill(String name) throws IOException {
    return call(new JsonObject().put("op", "kill").put("name", name)).getLong("ns");
  }

  /** {@code n} qemuMonitorCommand query-status, each in ns. */
  List<Long> qmp(String name, int n) throws IOException {
    return times(call(new JsonObject().put("op", "qmp").put("name", name).put("n", n)));
  }

  /** {@code n} virDomainGetState, each in ns. */
  List<Long> state(String name, int n) throws IOException {
    return times(call(new JsonObject().put("op", "state").put("name", name).put("n", n)));
  }

  /** Destroys every vmsup-bench-* domain; how many there were. */
  int cleanup() throws IOException {
    return call(new JsonObject().put("op", "cleanup")).getInteger("destroyed");
  }

  private static List<Long> times(JsonObject answer) {
    JsonArray a = answer.getJsonArray("ns");
    List<Long> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(a.getLong(i));
    }
    return out;
  }

  private JsonObject call(JsonObject request) throws IOException {
    out.write(request.encode());
    out.write('\n');
    out.flush();
    String line = in.readLine();
    if (line == null) {
      throw new IOException("the libvirt driver ended (its errors are above)");
    }
    JsonObject answer = new JsonObject(line);
    if (!answer.getBoolean("ok", false)) {
      throw new IOException("libvirt " + request.getString("op") + ": " + answer.getString("error"));
    }
    return answer;
  }

  /** Destroys the bench's domains and ends the driver (it cleans up again when its stdin closes). */
  @Override
  public void close() throws Exception {
    try {
      if (process.isAlive()) {
        cleanup();
      }
    } finally {
      out.close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
