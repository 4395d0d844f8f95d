package io.vmsup.supervisor.client;

import io.vmsup.supervisor.api.Op;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code vm} commands that change a VM's life: create, start, stop, kill, pause, resume, reset, delete. */
final class LifecycleCommands {

  private LifecycleCommands() {
  }

  /** An action on one named VM: {@code POST /v1/vms/NAME/ACTION}. */
  abstract static class Action extends ReadCommands.Base {
    @Parameters(paramLabel = "NAME", description = "the VM")
    String name;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      // the command name is the Op's verb: the same word the HTTP route and the actor use
      Op op = Op.action(spec.name()).orElseThrow(() -> new IllegalStateException(spec.name() + " is no action"));
      return s.print(s.send("POST", Session.vmPath(name) + "/" + op.verb(), null));
    }
  }

  @Command(name = "create", description = "Create a VM from a spec (JSON; not started unless --start).")
  static final class Create extends ReadCommands.Base {
    @Parameters(paramLabel = "FILE|-", description = "the VM spec file, or - for standard input")
    String file;

    @Option(names = "--start", description = {"start it too, in the same request (POST /v1/vms?start=true): answers",
        "once RUNNING; a VM created whose start failed is reported with \"created\": true"})
    boolean start;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      return s.print(s.send("POST", start ? "/v1/vms?start=true" : "/v1/vms", s.readInput(file, spec)));
    }
  }

  @Command(name = "replace", description = {"Replace the whole spec of a VM that is not running (JSON, as for create;",
      "its name must be NAME). Applies at the next start.",
      "Give the spec version the file was made from (--if-match, the specVersion of 'vm get NAME --output json'):",
      "if the spec changed since, nothing is replaced (412). --force replaces whatever spec the VM has."})
  static final class Replace extends ReadCommands.Base {
    @Parameters(index = "0", paramLabel = "NAME", description = "the VM")
    String name;
    @Parameters(index = "1", paramLabel = "FILE|-", description = "the new spec file, or - for standard input")
    String file;
    @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Condition condition;

    /** Exactly one of the two. */
    static final class Condition {
      @Option(names = "--if-match", paramLabel = "VERSION", required = true,
          description = "the spec version the new spec was made from (specVersion)")
      String version;
      @Option(names = "--force", required = true, description = "replace whatever spec the VM has now")
      boolean force;
    }

    @Override
    public Integer call() throws IOException {
      Session s = session();
      String body = s.readInput(file, spec);
      String tag = condition.force ? "*"
          : condition.version.startsWith("\"") || condition.version.startsWith("W/") ? condition.version
          : "\"" + condition.version + "\"";
      return s.print(s.send("PUT", Session.vmPath(name), body, java.util.Map.of("If-Match", tag)));
    }
  }

  @Command(name = "start", description = {"Start a VM; shows its events until it runs, then the final state.",
      "Waits while the daemon starts QEMU."})
  static final class Start extends Action {
    @Option(names = {"-q", "--quiet"}, description = "no progress lines")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
      return session().longOperation(name, "POST", Session.vmPath(name) + "/start", null, quiet);
    }
  }

  @Command(name = "stop", description = {"Stop a VM through the ladder: ACPI powerdown, then quit, SIGTERM, SIGKILL.",
      "Shows each step and the final state."})
  static final class Stop extends Action {
    @Option(names = "--grace", paramLabel = "SECONDS",
        description = "time the guest gets to power off after the ACPI request (default 30)")
    Integer grace;
    @Option(names = {"-q", "--quiet"}, description = "no progress lines")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
      String query = grace == null ? "" : "?graceSeconds=" + grace;
      return session().longOperation(name, "POST", Session.vmPath(name) + "/stop" + query, null, quiet);
    }
  }

  @Command(name = "kill", description = "SIGKILL the VM's QEMU at once.")
  static final class Kill extends Action {
  }

  @Command(name = "pause", description = "Pause the VM's CPUs.")
  static final class Pause extends Action {
  }

  @Command(name = "resume", description = "Resume a paused VM.")
  static final class Resume extends Action {
  }

  @Command(name = "reset", description = "Hard-reset the VM (as the reset button).")
  static final class Reset extends Action {
  }

  @Command(name = "delete", description = "Forget a VM that is not running.")
  static final class Delete extends Action {
    @Option(names = "--keep-disks", description = "keep the disks the daemon made (moved to <state-dir>/kept/)")
    boolean keepDisks;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      return s.print(s.send("DELETE", Session.vmPath(name) + (keepDisks ? "?keepDisks=true" : ""), null));
    }
  }
}
