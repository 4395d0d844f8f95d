package io.vmsup.supervisor.cli;

import io.vmsup.supervisor.cluster.ClusterInit;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vmsup cluster init}: the certificates of a fleet (see {@link ClusterInit}). */
@Command(name = "cluster", description = "Fleet set-up (see docs/fleet.md).")
final class ClusterCli implements Callable<Integer> {

  private final PrintStream err;

  ClusterCli(PrintStream err) {
    this.err = err;
  }

  /** The command with its {@code init} subcommand. */
  static picocli.CommandLine create(PrintStream out, PrintStream err) {
    return new picocli.CommandLine(new ClusterCli(err)).addSubcommand("init", new Init(out, err));
  }

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Override
  public Integer call() {
    err.println("usage: vmsup cluster init --dir DIR [--hosts ID[,ID...]] [--clients ID[,ID...]]"
        + " [--addresses IP|NAME[,...]]");
    return 2;
  }

  /** {@code vmsup cluster init}. */
  @Command(name = "init", description = {"Make a cluster CA (DIR/ca.pem, DIR/ca-key.pem) and a certificate per"
      + " member (DIR/<host>/: ca.pem, member.pem, member-key.pem; pass that directory as --cluster-tls-dir).",
      "An existing CA and existing members are kept: run it again with a new host id to add a member.",
      "For tests and small setups; an operator's own CA works the same way (see docs/fleet.md)."})
  static final class Init implements Callable<Integer> {

    private final PrintStream out;
    private final PrintStream err;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "where the files go")
    Path dir;
    @Option(names = "--hosts", split = ",", paramLabel = "ID",
        description = "the members' host ids (their --host-id)")
    List<String> hosts = new ArrayList<>();
    @Option(names = "--clients", split = ",", paramLabel = "ID",
        description = "services that join the clustered bus to call the daemons (with a token): a certificate each"
            + " in DIR/<id>/, without the fleet key that only daemons hold")
    List<String> clients = new ArrayList<>();
    @Option(names = "--addresses", split = ",", paramLabel = "ADDR",
        description = "IP addresses or DNS names added to every member certificate (default: 127.0.0.1)")
    List<String> addresses = new ArrayList<>(List.of("127.0.0.1"));

    Init(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      try {
        ClusterInit.run(dir, hosts, clients, addresses, out);
        return 0;
      } catch (IllegalArgumentException e) {
        err.println("vmsup cluster init: " + e.getMessage());
        return 2;
      } catch (IOException e) {
        err.println("vmsup cluster init: " + e.getMessage());
        return 1;
      }
    }
  }
}
