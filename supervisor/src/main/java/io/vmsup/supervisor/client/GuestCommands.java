package io.vmsup.supervisor.client;

import io.vertx.core.json.JsonObject;
import io.vmsup.config.JsonSyntaxException;
import io.vmsup.config.StrictJson;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** The {@code vm} commands that reach into a running VM: qmp, console, send, attach, detach. */
final class GuestCommands {

  private GuestCommands() {
  }

  @Command(name = "qmp", description = "Run a QMP command in the VM's QEMU (pass-through) and print its reply.")
  static final class Qmp extends ReadCommands.Base {
    @Parameters(index = "0", paramLabel = "NAME", description = "the VM")
    String name;
    @Parameters(index = "1", paramLabel = "COMMAND", description = "the QMP command, e.g. query-status")
    String execute;
    @Parameters(index = "2", arity = "0..1", paramLabel = "ARGUMENTS-JSON", description = "its arguments object")
    String arguments;

    @Override
    public Integer call() throws IOException {
      JsonObject body = new JsonObject().put("execute", execute);
      if (arguments != null) {
        body.put("arguments", object(arguments));
      }
      Session s = session();
      return s.print(s.send("POST", Session.vmPath(name) + "/qmp", body.encode()));
    }

    private JsonObject object(String text) {
      try {
        return new JsonObject(StrictJson.parseObject(text));
      } catch (JsonSyntaxException e) {
        throw new ParameterException(spec.commandLine(), "ARGUMENTS-JSON: " + e.getMessage());
      }
    }
  }

  @Command(name = "console", description = {"Follow the serial console: the last N lines, then live lines until",
      "interrupted."})
  static final class Console extends ReadCommands.Base {
    @Parameters(paramLabel = "NAME", description = "the VM")
    String name;
    @Option(names = "--lines", paramLabel = "N", description = "lines of history first (default 100)")
    Integer lines;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      String query = lines == null ? "" : "?lines=" + lines;
      ApiClient.Response failed;
      try {
        failed = s.client().stream(Session.vmPath(name) + "/console" + query,
            () -> s.err.println("vmsup vm: console of " + name + " (Ctrl-C to stop)"),
            data -> {
              // line events carry {"vm","line","offset"}; the one history event (no "line") is not console output
              if (new JsonObject(data).getValue("line") instanceof String line) {
                s.out.println(line);
                s.out.flush();
              }
            });
      } catch (java.net.ConnectException e) {
        throw s.unreachable();
      }
      return failed == null ? 0 : s.problem(failed);
    }
  }

  @Command(name = "send", description = "Write TEXT and a newline to the VM's serial console.")
  static final class Send extends ReadCommands.Base {
    @Parameters(index = "0", paramLabel = "NAME", description = "the VM")
    String name;
    @Parameters(index = "1", paramLabel = "TEXT", description = "the text (quote it)")
    String text;
    @Option(names = "--raw", description = "write the text as is, without a newline")
    boolean raw;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      String data = raw ? text : text + "\n";
      return s.print(s.send("POST", Session.vmPath(name) + "/console", new JsonObject().put("data", data).encode()));
    }
  }

  @Command(name = "attach", description = {"Hot-plug a device (spec format, or {\"kind\":\"cpu\"}); shows the VM's",
      "events while it plugs."})
  static final class Attach extends ReadCommands.Base {
    @Parameters(index = "0", paramLabel = "NAME", description = "the VM")
    String name;
    @Parameters(index = "1", paramLabel = "DEVICE.json|-", description = "the device file, or - for standard input")
    String file;
    @Option(names = {"-q", "--quiet"}, description = "no progress lines")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      return s.longOperation(name, "POST", Session.vmPath(name) + "/devices", s.readInput(file, spec), quiet);
    }
  }

  @Command(name = "detach", description = "Unplug a device; waits for the guest to release it.")
  static final class Detach extends ReadCommands.Base {
    @Parameters(index = "0", paramLabel = "NAME", description = "the VM")
    String name;
    @Parameters(index = "1", paramLabel = "ID", description = "the device's id")
    String id;
    @Option(names = "--timeout", paramLabel = "SECONDS", description = "how long to wait for the guest (default 30)")
    Integer timeout;
    @Option(names = {"-q", "--quiet"}, description = "no progress lines")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      String query = timeout == null ? "" : "?timeoutSeconds=" + timeout;
      return s.longOperation(name, "DELETE", Session.vmPath(name) + "/devices/" + Session.encode(id) + query, null,
          quiet);
    }
  }
}
