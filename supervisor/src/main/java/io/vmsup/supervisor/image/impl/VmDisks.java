package io.vmsup.supervisor.image.impl;

import io.vertx.core.json.JsonObject;
import io.vmsup.config.Device;
import io.vmsup.config.Disk;
import io.vmsup.config.DiskFormat;
import io.vmsup.config.VmSpec;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The disks of a VM as its disk operations need them: where each lies, its format and block node. */
final class VmDisks {

  /** One disk device of the spec. */
  record Ref(String at, String id, Path file, DiskFormat format, boolean readOnly) {
    String node() {
      return id + ".blk";
    }

    String formatName() {
      return format == DiskFormat.QCOW2 ? "qcow2" : "raw";
    }
  }

  private VmDisks() {
  }

  static List<Ref> of(VmSpec spec, Path vmDir) {
    List<Ref> out = new ArrayList<>();
    List<Device> devices = spec.devices();
    for (int i = 0; i < devices.size(); i++) {
      if (devices.get(i) instanceof Disk d) {
        Path file = d.managed() ? vmDir.resolve(d.file()) : Path.of(d.file());
        out.add(new Ref("devices[" + i + "]", d.id(), file, d.format(), d.readOnly()));
      }
    }
    return out;
  }

  /**
   * The writable disks a snapshot covers (read-only ones, such as a seed or a CD image, are left out). CONFLICT
   * naming the first writable raw disk, which cannot hold a snapshot; CONFLICT when no disk is left.
   */
  static List<Ref> snapshotted(VmSpec spec, Path vmDir, String vm) {
    List<Ref> out = new ArrayList<>();
    for (Ref r : of(spec, vmDir)) {
      if (r.readOnly()) {
        continue;
      }
      if (r.format() != DiskFormat.QCOW2) {
        throw new VmException(ErrorCode.CONFLICT, "VM '" + vm + "' cannot be snapshotted: its writable disk '"
            + r.id() + "' (" + r.at() + ") is raw; only qcow2 disks hold snapshots (make it readOnly, or use qcow2)",
            new JsonObject().put("disk", r.id()).put("path", r.at()));
      }
      out.add(r);
    }
    if (out.isEmpty()) {
      throw new VmException(ErrorCode.CONFLICT, "VM '" + vm + "' has no writable qcow2 disk to snapshot");
    }
    return out;
  }

  /** One disk by id, or NOT_FOUND. */
  static Ref byId(VmSpec spec, Path vmDir, String id, String vm) {
    return of(spec, vmDir).stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() ->
        new VmException(ErrorCode.NOT_FOUND, "VM '" + vm + "' has no disk '" + id + "'"));
  }
}
