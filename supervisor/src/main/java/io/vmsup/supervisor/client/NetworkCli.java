package io.vmsup.supervisor.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vmsup network ...}: managed networks of a running daemon (create, list, get, delete), found and
 * authenticated exactly like {@code vmsup vm} (the same {@code --url}, {@code --token}, {@code --state-dir} options).
 */
@Command(name = "network", description = "Managed networks of a running daemon: create, list, get, delete.",
    subcommands = {NetworkCli.ListNets.class, NetworkCli.Get.class, NetworkCli.Create.class, NetworkCli.Delete.class,
        CommandLine.HelpCommand.class},
    synopsisSubcommandLabel = "COMMAND", sortOptions = false,
    footer = {"", "Every command prints the daemon's JSON reply. Errors go to stderr with exit code 1; usage errors"
        + " exit 2.", "A network file: {\"name\": \"lan\", \"subnet\": \"10.10.0.0/24\", \"dhcp\": {}, \"nat\": false}"
        + " (see docs/networks.md)."})
public final class NetworkCli extends ClientRoot {

  public NetworkCli(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    super(env, in, out, err);
  }

  /** The {@code network} command tree. */
  public static CommandLine create(Map<String, String> env, PrintStream out, PrintStream err) {
    return new CommandLine(new NetworkCli(env, System.in, out, err));
  }

  static String path(String name) {
    return "/v1/networks/" + Session.encode(name);
  }

  @Command(name = "list", description = "All networks (JSON): definition, dnsmasq state, leases, VMs on each.")
  static final class ListNets extends ReadCommands.Base {
    @Override
    public Integer call() throws IOException {
      Session s = session();
      return s.print(s.send("GET", "/v1/networks", null));
    }
  }

  @Command(name = "get", description = "One network (JSON): definition, dnsmasq state, DHCP leases, VMs on it.")
  static final class Get extends ReadCommands.Base {
    @Parameters(paramLabel = "NAME", description = "the network")
    String name;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      return s.print(s.send("GET", path(name), null));
    }
  }

  @Command(name = "create", description = {"Create a network from a definition (JSON): the daemon makes the bridge,",
      "its gateway address, dnsmasq for DHCP and the NAT rule as asked."})
  static final class Create extends ReadCommands.Base {
    @Parameters(paramLabel = "FILE|-", description = "the network file, or - for standard input")
    String file;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      return s.print(s.send("POST", "/v1/networks", s.readInput(file, spec)));
    }
  }

  @Command(name = "delete", description = "Remove a network no VM uses (bridge, dnsmasq, rules).")
  static final class Delete extends ReadCommands.Base {
    @Parameters(paramLabel = "NAME", description = "the network")
    String name;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      return s.print(s.send("DELETE", path(name), null));
    }
  }
}
