package io.vmsup.supervisor.image.impl;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpBlockCommands;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.image.DiskHost;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grows one disk of a VM: live through QMP {@code block_resize} (the guest sees the new size at once), offline
 * through {@code qemu-img resize} on a worker. Shrinking is refused: it would cut off the guest's data.
 */
public final class Resize {

  private static final Pattern SIZE = Pattern.compile("([0-9]{1,15})([KMGTkmgt]?)");
  private static final long MAX = 64L << 40;
  private static final Duration COMMAND = Duration.ofSeconds(30);

  private final DiskHost host;
  private final QemuImg qemuImg;

  public Resize(DiskHost host, QemuImg qemuImg) {
    this.host = host;
    this.qemuImg = qemuImg;
  }

  /** Body {@code {"name","disk","size"}}; reply {@code {"name","disk","size","previous","live"}}. */
  public Future<JsonObject> resize(JsonObject body) {
    if (!(body.getValue("disk") instanceof String id)) {
      throw invalid("disk", "required: the id of a disk of the VM");
    }
    long size = size(body.getValue("size"));
    VmDisks.Ref d = VmDisks.byId(host.spec(), host.vmDir(), id, host.name());
    if (d.readOnly()) {
      throw new VmException(ErrorCode.CONFLICT, "disk '" + id + "' of VM '" + host.name() + "' is read-only");
    }
    boolean live = switch (host.state()) {
      case RUNNING, PAUSED -> true;
      case DEFINED, STOPPED, CRASHED, FAILED -> false;
      default -> throw new VmException(ErrorCode.CONFLICT, "VM '" + host.name() + "' is " + host.state().json()
          + ": a disk can be resized while it runs, is paused or is down");
    };
    return host.vertx().executeBlocking(() -> qemuImg.info(d.file(), d.formatName()).getLong("virtual-size"),
        false).compose(previous -> {
          if (size < previous) {
            return Future.failedFuture(invalid("size", "is " + size + " bytes, smaller than the disk's "
                + previous + ": shrinking is refused (it would cut off the guest's data)"));
          }
          Future<?> done = live
              ? host.qmp(QmpBlockCommands.blockResize(d.node(), size), COMMAND)
              : host.vertx().executeBlocking(() -> {
                qemuImg.resize(d.file(), d.formatName(), size);
                return null;
              }, false);
          // the spec's size follows the disk (a made disk's "size"): a later clone or look sees the real one
          return done.compose(v -> host.resized(id, size)).map(v -> new JsonObject().put("name", host.name())
              .put("disk", id).put("size", size).put("previous", previous).put("live", live));
        });
  }

  static long size(Object value) {
    long bytes = -1;
    if (value instanceof Number n && n.doubleValue() == n.longValue()) {
      bytes = n.longValue();
    } else if (value instanceof String s) {
      Matcher m = SIZE.matcher(s);
      if (m.matches()) {
        int shift = switch (m.group(2).toUpperCase()) {
          case "K" -> 10;
          case "M" -> 20;
          case "G" -> 30;
          case "T" -> 40;
          default -> 0;
        };
        long n = Long.parseLong(m.group(1));
        bytes = n > (MAX >> shift) ? MAX + 1 : n << shift;
      }
    }
    if (bytes <= 0 || bytes % 512 != 0 || bytes > MAX) {
      throw invalid("size", "must be a size: bytes, or a string like \"512M\" or \"20G\"; more than 0, a multiple"
          + " of 512 bytes, at most 64T");
    }
    return bytes;
  }

  static VmException invalid(String path, String message) {
    return VmException.invalid(path + ": " + message, new JsonArray()
        .add(new JsonObject().put("path", path).put("message", message)));
  }
}
