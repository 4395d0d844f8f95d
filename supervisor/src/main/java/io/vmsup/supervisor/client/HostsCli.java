package io.vmsup.supervisor.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vmsup hosts ...}: the hosts of a running daemon's fleet ({@code GET /v1/hosts}, answered by every member
 * for the whole fleet; a daemon that runs alone lists itself) and the cordon that stops new placements on a host.
 * Finds and authenticates the daemon exactly like {@code vmsup vm}.
 */
@Command(name = "hosts", description = {"The fleet's hosts: a table of every member (state, cordon, VMs, CPUs,",
    "memory, QEMU, KVM); cordon and uncordon a host."},
    subcommands = {HostsCli.Cordon.class, HostsCli.Uncordon.class, CommandLine.HelpCommand.class},
    synopsisSubcommandLabel = "[COMMAND]", sortOptions = false,
    footer = {"", "Commands:", "  (none)          the table of hosts (--output json|yaml, or --json, for every field)",
        "  cordon HOST     stop new placements on HOST (its VMs keep running)",
        "  uncordon HOST   place VMs on HOST again",
        "", "Errors go to stderr with exit code 1; usage errors exit 2. See docs/fleet.md."})
public final class HostsCli extends ClientRoot {

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default), json or yaml")
  OutputFormat output;

  @Option(names = "--json", description = "the daemon's JSON reply (the same as --output json)")
  boolean json;

  public HostsCli(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    super(env, in, out, err);
  }

  /** The {@code hosts} command tree. */
  public static CommandLine create(Map<String, String> env, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new HostsCli(env, System.in, out, err));
    cl.getHelpSectionMap().remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING);
    cl.getHelpSectionMap().remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST);
    return cl;
  }

  @Override
  public Integer call() {
    OutputFormat format = format();
    try {
      return list(format);
    } catch (IOException e) {
      err.println(spec.qualifiedName(" ") + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
      return 1;
    }
  }

  private int list(OutputFormat format) throws IOException {
    Session s = connect(spec);
    ApiClient.Response r = s.send("GET", "/v1/hosts", null);
    if (!r.ok()) {
      return s.problem(r);
    }
    switch (format) {
      case JSON -> out.println(Session.pretty(r.body()));
      case YAML -> out.print(YamlWriter.write(io.vertx.core.json.Json.decodeValue(r.body())));
      default -> out.print(HostTable.render(new io.vertx.core.json.JsonObject(r.body())));
    }
    return 0;
  }

  private OutputFormat format() {
    if (json && output != null && output != OutputFormat.JSON) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--json and --output " + output.name()
          .toLowerCase(java.util.Locale.ROOT) + " contradict each other");
    }
    OutputFormat f = json ? OutputFormat.JSON : output == null ? OutputFormat.TABLE : output;
    if (f == OutputFormat.WIDE) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--output wide is for 'vm list': the hosts"
          + " table has every column already (table, json or yaml)");
    }
    return f;
  }

  /** Shared by cordon and uncordon. */
  abstract static class Mark extends ReadCommands.Base {
    @Parameters(paramLabel = "HOST", description = "the host id (as 'vmsup hosts' lists it)")
    String host;

    int mark(String verb) throws IOException {
      Session s = session();
      return s.print(s.send("POST", "/v1/hosts/" + Session.encode(host) + "/" + verb, null));
    }
  }

  @Command(name = "cordon", description = "Stop new placements on HOST (its VMs keep running; admin token).")
  static final class Cordon extends Mark {
    @Override
    public Integer call() throws IOException {
      return mark("cordon");
    }
  }

  @Command(name = "uncordon", description = "Place VMs on HOST again (admin token).")
  static final class Uncordon extends Mark {
    @Override
    public Integer call() throws IOException {
      return mark("uncordon");
    }
  }
}
