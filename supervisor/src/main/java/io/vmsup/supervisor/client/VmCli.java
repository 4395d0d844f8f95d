package io.vmsup.supervisor.client;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code vmsup vm ...}: the command-line client of a running daemon. Finds the daemon like this: {@code --url} or
 * {@code VMSUP_URL}, else {@code <stateDir>/endpoint.json} (written by the daemon at start), else the configured
 * host and port; the token from {@code --token} or {@code VMSUP_TOKEN}, else {@code <stateDir>/token}. The state
 * directory and config come from the same flags, variables and config file as {@code vmsup run}.
 */
@Command(name = "vm", description = "Client of a running daemon: list, get, create, start, stop, ...",
    subcommands = {ReadCommands.ListVms.class, ReadCommands.Get.class, ReadCommands.Render.class, LifecycleCommands.Create.class,
        LifecycleCommands.Replace.class, LifecycleCommands.Start.class, LifecycleCommands.Stop.class,
        LifecycleCommands.Kill.class,
        LifecycleCommands.Pause.class, LifecycleCommands.Resume.class, LifecycleCommands.Reset.class,
        LifecycleCommands.Delete.class, ReadCommands.Log.class, GuestCommands.Qmp.class, ReadCommands.Events.class,
        GuestCommands.Console.class, GuestCommands.Send.class, GuestCommands.Attach.class,
        GuestCommands.Detach.class, DiskCommands.Snapshot.class, DiskCommands.Resize.class, DiskCommands.Clone.class,
        CommandLine.HelpCommand.class},
    synopsisSubcommandLabel = "COMMAND", sortOptions = false,
    footer = {"", "list and get print a table (--output json|yaml|wide for more); other commands print the JSON "
        + "reply.", "Errors go to stderr with exit code 1; usage errors exit 2."})
public final class VmCli extends ClientRoot {

  /** The command list of {@code vm --help}: one synopsis per command (VmCliTest checks it names them all). */
  static final String COMMANDS = String.join("\n",
      "  list [--output FORMAT]    all VMs (a table; FORMAT json, yaml or wide)",
      "  get NAME [--output FORMAT] one VM",
      "  render NAME               the exact QEMU argv of the VM (and what hot-plug changed since)",
      "  create FILE|- [--start]   create a VM from a spec (JSON); --start: and start it, one request",
      "  replace NAME FILE|- (--if-match VERSION | --force)",
      "                            replace the spec of a VM that is not running",
      "  start|kill|pause|resume|reset NAME",
      "                            start shows the events until RUNNING",
      "  stop NAME [--grace SECONDS]",
      "                            the stop ladder, showing each step and the final state",
      "  delete NAME               forget a VM that is not running",
      "  log NAME [--lines N]      tails of the QEMU and serial logs",
      "  qmp NAME COMMAND [ARGUMENTS-JSON]",
      "  events [NAME]             follow events (Server-Sent Events) until interrupted",
      "  console NAME [--lines N]  the serial console: the last N lines (default 100), then live lines",
      "                            until interrupted",
      "  send NAME TEXT [--raw]    write TEXT and a newline (none with --raw) to the serial console",
      "  attach NAME DEVICE.json|- hot-plug a device (spec format, or {\"kind\":\"cpu\"})",
      "  detach NAME ID [--timeout SECONDS]",
      "                            unplug a device; waits up to SECONDS (default 30) for the guest",
      "  snapshot create|list|revert|delete NAME [SNAPSHOT]",
      "                            snapshots (with memory while running, disk-only when stopped)",
      "  resize NAME DISK SIZE     grow a disk (live while running); shrinking is refused",
      "  clone NAME AS [--linked]  a new VM AS from the stopped VM NAME, its disks copied (or frozen, linked)",
      "  help [COMMAND]            this text, or the help of one command (also: vm COMMAND --help)",
      "");

  public VmCli(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    super(env, in, out, err);
  }
}
