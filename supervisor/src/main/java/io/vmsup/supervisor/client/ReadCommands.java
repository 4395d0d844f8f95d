package io.vmsup.supervisor.client;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The {@code vm} commands that only read: list, get, render, log, events. */
final class ReadCommands {

  private ReadCommands() {
  }

  /** Shared by list and get. */
  abstract static class Base implements Callable<Integer> {
    @ParentCommand
    ClientRoot vm;
    @Spec
    CommandSpec spec;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    Session session() throws IOException {
      return vm.connect(spec);
    }
  }

  @Command(name = "list", description = "All VMs: a table of name, state, host, pid, uptime, memory, restarts.")
  static final class ListVms extends Base {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table (default), wide, json or yaml")
    OutputFormat output;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      return s.printVms(s.send("GET", "/v1/vms", null), output, false);
    }
  }

  @Command(name = "get", description = "One VM, as a table row (or --output json|yaml|wide).")
  static final class Get extends Base {
    @Parameters(paramLabel = "NAME", description = "the VM")
    String name;
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table (default), wide, json or yaml")
    OutputFormat output;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      return s.printVms(s.send("GET", Session.vmPath(name), null), output, true);
    }
  }

  @Command(name = "render", description = {"The exact QEMU argv of a VM (JSON): its running QEMU's command line and",
      "what hot-plug added or removed since, or the launch form its next start executes."})
  static final class Render extends Base {
    @Parameters(paramLabel = "NAME", description = "the VM")
    String name;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      return s.print(s.send("GET", Session.vmPath(name) + "/argv", null));
    }
  }

  @Command(name = "log", description = "The tails of the VM's QEMU log and serial console log (JSON).")
  static final class Log extends Base {
    @Parameters(paramLabel = "NAME", description = "the VM")
    String name;
    @Option(names = "--lines", paramLabel = "N", description = "lines of each log (default 100, at most 5000)")
    Integer lines;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      String query = lines == null ? "" : "?lines=" + lines;
      return s.print(s.send("GET", Session.vmPath(name) + "/log" + query, null));
    }
  }

  @Command(name = "events", description = "Follow events (one JSON object per line) until interrupted.")
  static final class Events extends Base {
    @Parameters(paramLabel = "NAME", arity = "0..1", description = "only this VM's events (default: all VMs)")
    String name;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      String path = name == null ? "/v1/events" : Session.vmPath(name) + "/events";
      ApiClient.Response failed;
      try {
        failed = s.client().stream(path,
            () -> s.err.println("vmsup vm: following " + (name == null ? "all events" : "events of " + name)
                + " (Ctrl-C to stop)"),
            data -> {
              s.out.println(data);
              s.out.flush();
            });
      } catch (java.net.ConnectException e) {
        throw s.unreachable();
      }
      return failed == null ? 0 : s.problem(failed);
    }
  }
}
