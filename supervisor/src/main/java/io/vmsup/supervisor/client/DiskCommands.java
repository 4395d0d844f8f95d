package io.vmsup.supervisor.client;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The {@code vm} commands of a VM's disks: snapshot create|list|revert|delete, resize, clone. */
final class DiskCommands {

  private DiskCommands() {
  }

  /** What {@code vm snapshot} does. */
  enum SnapshotAction { CREATE, LIST, REVERT, DELETE }

  @Command(name = "snapshot", description = {"Snapshots of a VM's writable qcow2 disks (JSON reply).",
      "Running or paused: with the guest's memory (QEMU's snapshot-save/-load jobs); stopped: disk-only.",
      "A writable raw disk prevents snapshots; read-only disks are left out."})
  static final class Snapshot extends ReadCommands.Base {
    @Parameters(index = "0", paramLabel = "ACTION", description = "create, list, revert or delete")
    SnapshotAction action;
    @Parameters(index = "1", paramLabel = "NAME", description = "the VM")
    String name;
    @Parameters(index = "2", paramLabel = "SNAPSHOT", arity = "0..1",
        description = "the snapshot's name (all but list)")
    String snapshot;

    @Override
    public Integer call() throws IOException {
      if (action != SnapshotAction.LIST && snapshot == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "snapshot " + action.name().toLowerCase(java.util.Locale.ROOT) + " needs SNAPSHOT");
      }
      Session s = session();
      String base = Session.vmPath(name) + "/snapshots";
      return s.print(switch (action) {
        case LIST -> s.send("GET", base, null);
        case CREATE -> s.send("POST", base, new JsonObject().put("snapshot", snapshot).encode());
        case REVERT -> s.send("POST", base + "/" + Session.encode(snapshot) + "/revert", null);
        case DELETE -> s.send("DELETE", base + "/" + Session.encode(snapshot), null);
      });
    }
  }

  @Command(name = "resize", description = {"Grow a disk of a VM: live while it runs (the guest sees the new size),",
      "else offline. Shrinking is refused."})
  static final class Resize extends ReadCommands.Base {
    @Parameters(index = "0", paramLabel = "NAME", description = "the VM")
    String name;
    @Parameters(index = "1", paramLabel = "DISK", description = "the disk's id")
    String disk;
    @Parameters(index = "2", paramLabel = "SIZE", description = "the new size: bytes, or like 20G (K, M, G, T)")
    String size;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      Object value = size.matches("[0-9]+") ? (Object) Long.parseLong(size) : size;
      return s.print(s.send("POST", Session.vmPath(name) + "/disks/" + Session.encode(disk) + "/resize",
          new JsonObject().put("size", value).encode()));
    }
  }

  @Command(name = "clone", description = {"A new VM from a stopped one (JSON reply: the new VM): the same spec under",
      "the new name with new MAC addresses and a new UUID; each disk the daemon made is copied (an overlay stays an",
      "overlay over the same image; --linked: frozen into images both overlay), read-only file disks are shared;",
      "a writable file disk prevents it."})
  static final class Clone extends ReadCommands.Base {
    @Parameters(index = "0", paramLabel = "NAME", description = "the VM to copy (stopped)")
    String name;
    @Parameters(index = "1", paramLabel = "AS", description = "the new VM's name")
    String as;
    @CommandLine.Option(names = "--linked", description = {"freeze the source's disks into read-only images",
        "of the store, the source and the clone each overlaying them (instant, no copy)"})
    boolean linked;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      JsonObject body = new JsonObject().put("as", as);
      if (linked) {
        body.put("linked", true);
      }
      return s.print(s.send("POST", Session.vmPath(name) + "/clone", body.encode()));
    }
  }
}
