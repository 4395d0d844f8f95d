package io.vmsup.supervisor.image.impl;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpJobCommands;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.image.DiskHost;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Snapshots of a VM's writable qcow2 disks (read-only disks are left out; a writable raw disk prevents them). With a
 * QEMU (RUNNING or PAUSED): QEMU's {@code snapshot-save}/{@code snapshot-load}/{@code snapshot-delete} jobs, with the
 * guest's memory in the first disk. Without one: disk-only {@code qemu-img snapshot} on a worker, undone on the disks
 * already done when one fails.
 */
public final class Snapshots {

  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final Duration JOB_LIMIT = Duration.ofMinutes(30);

  private final DiskHost host;
  private final QemuImg qemuImg;

  public Snapshots(DiskHost host, QemuImg qemuImg) {
    this.host = host;
    this.qemuImg = qemuImg;
  }

  public Future<JsonObject> create(JsonObject body) {
    String tag = tag(body);
    List<VmDisks.Ref> disks = VmDisks.snapshotted(host.spec(), host.vmDir(), host.name());
    return exists(disks, tag).compose(found -> {
      if (found) {
        return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "VM '" + host.name()
            + "' has a snapshot '" + tag + "' already"));
      }
      if (live()) {
        return QmpJobs.run(host, "snapshot-save",
            id -> QmpJobCommands.snapshotSave(id, tag, disks.get(0).node(), nodes(disks)), JOB_LIMIT)
            .map(v -> reply(tag, disks, true));
      }
      return offline(disks, "-c", tag, "-d").map(v -> reply(tag, disks, false));
    });
  }

  public Future<JsonObject> revert(JsonObject body) {
    String tag = tag(body);
    List<VmDisks.Ref> disks = VmDisks.snapshotted(host.spec(), host.vmDir(), host.name());
    return requireExists(disks, tag).compose(v -> {
      if (live()) {
        return QmpJobs.run(host, "snapshot-load",
            id -> QmpJobCommands.snapshotLoad(id, tag, disks.get(0).node(), nodes(disks)), JOB_LIMIT)
            .map(x -> reply(tag, disks, true));
      }
      return offline(disks, "-a", tag, null).map(x -> reply(tag, disks, false));
    });
  }

  public Future<JsonObject> delete(JsonObject body) {
    String tag = tag(body);
    List<VmDisks.Ref> disks = VmDisks.snapshotted(host.spec(), host.vmDir(), host.name());
    return requireExists(disks, tag).compose(v -> {
      if (live()) {
        return QmpJobs.run(host, "snapshot-delete", id -> QmpJobCommands.snapshotDelete(id, tag, nodes(disks)),
            JOB_LIMIT).map(x -> reply(tag, disks, true));
      }
      return offline(disks, "-d", tag, null).map(x -> reply(tag, disks, false));
    });
  }

  /** {@code {"name","snapshots":[{"name","date","vmStateSize","disks":[ids]}]}}, by name. */
  public Future<JsonObject> list() {
    List<VmDisks.Ref> disks = VmDisks.of(host.spec(), host.vmDir()).stream()
        .filter(d -> !d.readOnly() && d.format() == io.vmsup.config.DiskFormat.QCOW2).toList();
    return host.vertx().executeBlocking(() -> {
      Map<String, JsonObject> byName = new TreeMap<>();
      for (VmDisks.Ref d : disks) {
        JsonArray snaps = qemuImg.info(d.file(), "qcow2").getJsonArray("snapshots", new JsonArray());
        for (Object o : snaps) {
          JsonObject s = (JsonObject) o;
          JsonObject entry = byName.computeIfAbsent(s.getString("name"), n -> new JsonObject().put("name", n)
              .put("date", Instant.ofEpochSecond(s.getLong("date-sec", 0L)).toString()).put("vmStateSize", 0L)
              .put("disks", new JsonArray()));
          entry.put("vmStateSize", Math.max(entry.getLong("vmStateSize"), s.getLong("vm-state-size", 0L)));
          entry.getJsonArray("disks").add(d.id());
        }
      }
      return new JsonObject().put("name", host.name()).put("snapshots", new JsonArray(new ArrayList<>(
          byName.values())));
    }, false);
  }

  private boolean live() {
    return switch (host.state()) {
      case RUNNING, PAUSED -> true;
      case DEFINED, STOPPED, CRASHED, FAILED -> false;
      default -> throw new VmException(ErrorCode.CONFLICT, "VM '" + host.name() + "' is " + host.state().json()
          + ": snapshots need it running, paused or down", new JsonObject().put("state", host.state().json()));
    };
  }

  private Future<Boolean> exists(List<VmDisks.Ref> disks, String tag) {
    return list().map(l -> l.getJsonArray("snapshots").stream().map(JsonObject.class::cast)
        .anyMatch(s -> tag.equals(s.getString("name"))));
  }

  private Future<Void> requireExists(List<VmDisks.Ref> disks, String tag) {
    return exists(disks, tag).compose(found -> found ? Future.succeededFuture()
        : Future.failedFuture(new VmException(ErrorCode.NOT_FOUND, "VM '" + host.name() + "' has no snapshot '"
            + tag + "'")));
  }

  /** {@code qemu-img snapshot FLAG tag} on each disk; on a failure, {@code undo} on the disks done (if given). */
  private Future<Void> offline(List<VmDisks.Ref> disks, String flag, String tag, String undo) {
    return host.vertx().executeBlocking(() -> {
      List<VmDisks.Ref> done = new ArrayList<>();
      try {
        for (VmDisks.Ref d : disks) {
          qemuImg.snapshot(d.file(), flag, tag);
          done.add(d);
        }
      } catch (VmException e) {
        for (VmDisks.Ref d : undo == null ? List.<VmDisks.Ref>of() : done) {
          try {
            qemuImg.snapshot(d.file(), undo, tag);
          } catch (VmException again) {
            e.addSuppressed(again);
          }
        }
        throw e;
      }
      return null;
    }, false);
  }

  private static List<String> nodes(List<VmDisks.Ref> disks) {
    return disks.stream().map(VmDisks.Ref::node).toList();
  }

  private JsonObject reply(String tag, List<VmDisks.Ref> disks, boolean memory) {
    JsonArray ids = new JsonArray();
    disks.forEach(d -> ids.add(d.id()));
    return new JsonObject().put("name", host.name()).put("snapshot", tag).put("memory", memory).put("disks", ids)
        .put("state", host.state().json());
  }

  static String tag(JsonObject body) {
    Object tag = body.getValue("snapshot");
    if (!(tag instanceof String s) || !TAG.matcher(s).matches()) {
      String message = "must be a snapshot name: 1-63 characters from A-Z a-z 0-9 . _ - starting with a letter or"
          + " digit";
      throw VmException.invalid("snapshot: " + message, new JsonArray().add(new JsonObject().put("path", "snapshot")
          .put("message", message)));
    }
    return (String) tag;
  }
}
