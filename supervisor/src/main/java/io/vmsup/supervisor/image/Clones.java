package io.vmsup.supervisor.image;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.Device;
import io.vmsup.config.Disk;
import io.vmsup.config.VmSpec;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A clone of a stopped VM ({@code vmsup.vm.clone {name, as}}): the clone's spec (the source's under the new name,
 * without the source's MAC addresses and UUID), the check that every disk can be cloned, and the copy of the disks
 * the daemon made for the source into the clone's directory (by {@link ImageVerticle}, all or nothing).
 */
public final class Clones {

  /** How long the copies of one clone may take before the registry gives up waiting (the copy itself goes on). */
  public static final Duration COPY_LIMIT = Duration.ofHours(6);

  private Clones() {
  }

  /** The clone's name from the request body, or INVALID at {@code as}. */
  public static String as(JsonObject body) {
    Object as = body == null ? null : body.getValue("as");
    if (!(as instanceof String s) || s.isEmpty()) {
      throw invalid("as", "required: the new VM's name");
    }
    return s;
  }

  /**
   * The clone's spec: the source's {@code json} under {@code as}, every NIC's {@code mac} removed (new ones are
   * assigned at create, unlike any in use) and, when the source names a {@code uuid}, a new random one.
   */
  public static JsonObject spec(JsonObject source, String as) {
    JsonObject out = source.copy().put("name", as);
    if (out.containsKey("uuid")) {
      out.put("uuid", UUID.randomUUID().toString());
    }
    JsonArray devices = out.getJsonArray("devices", new JsonArray());
    for (Object d : devices) {
      if (d instanceof JsonObject o && "nic".equals(o.getValue("kind"))) {
        o.remove("mac");
      }
    }
    return out;
  }

  /** An INVALID failure of the clone's spec, its {@code name} violations reported at {@code as}. */
  public static VmException renamed(VmException e) {
    JsonArray violations = e.details().getJsonArray("violations");
    if (e.code() != ErrorCode.INVALID || violations == null) {
      return e;
    }
    JsonArray out = new JsonArray();
    for (Object o : violations) {
      JsonObject v = ((JsonObject) o).copy();
      if ("name".equals(v.getString("path"))) {
        v.put("path", "as");
      }
      out.add(v);
    }
    return VmException.invalid(e.getMessage().replaceFirst("^name:", "as:"), out);
  }

  /**
   * CONFLICT naming the first writable disk over a host file ({@code file}, not made by the daemon): the daemon does
   * not own that file and two VMs must not write one disk. Read-only ones are shared by the clone.
   */
  public static void checkDisks(String vm, VmSpec spec) {
    List<Device> devices = spec.devices();
    for (int i = 0; i < devices.size(); i++) {
      if (devices.get(i) instanceof Disk d && !d.managed() && !d.readOnly()) {
        throw new VmException(ErrorCode.CONFLICT, "VM '" + vm + "' cannot be cloned: its writable disk '" + d.id()
            + "' (devices[" + i + "]) is the host file " + d.file() + ", which the daemon does not copy; only disks"
            + " the daemon made (\"image\" or \"size\") and read-only disks can be cloned",
            new JsonObject().put("disk", d.id()).put("path", "devices[" + i + "]"));
      }
    }
  }

  /**
   * Copies the source's daemon-made disks into {@code vms/<as>/disks/} (nothing to do without any). Fails
   * NOT_PERSISTED (no space), CONFLICT (the clone's directory holds a VM), INTERNAL; then nothing is left.
   */
  public static Future<Void> copy(Vertx vertx, String source, String as, VmSpec spec) {
    JsonArray disks = ManagedDisks.of(spec);
    if (disks.isEmpty()) {
      return Future.succeededFuture();
    }
    return ManagedDisks.request(vertx, new JsonObject().put("vm", as).put("cloneFrom", source).put("disks", disks),
        COPY_LIMIT);
  }

  /** Whether the request asks for a linked clone ({@code "linked": true}); INVALID at {@code linked} if not boolean. */
  public static boolean linked(JsonObject body) {
    Object linked = body == null ? null : body.getValue("linked");
    if (linked != null && !(linked instanceof Boolean)) {
      throw invalid("linked", "must be true (the source's disks frozen into images both VMs overlay) or false (full"
          + " copies, the default)");
    }
    return Boolean.TRUE.equals(linked);
  }

  /**
   * The registry's request to the source's actor for a linked clone: the clone's checked spec and PCI layout travel
   * with it, as the actor writes the clone's records itself (its disks stay frozen, a start refused, until then).
   */
  public static JsonObject linkedRequest(String source, String as, JsonObject spec, String layout) {
    return new JsonObject().put("name", source).put("as", as).put("linked", true).put("spec", spec.encodePrettily())
        .put("layout", layout);
  }

  /**
   * A linked clone as the source's actor runs it: its disks frozen ({@code prepare}), the clone's records written by
   * {@code create}, then the freeze committed; a failed {@code create} undoes the freeze. Fails as {@link #copy};
   * a failed commit fails with {@code stuck} set (the source must not start until the daemon's next start finishes
   * it).
   */
  public static Future<Void> linkedCopy(Vertx vertx, String source, String as, VmSpec spec,
      java.util.function.Supplier<Future<Void>> create, Runnable stuck) {
    JsonArray disks = ManagedDisks.of(spec);
    JsonObject req = new JsonObject().put("vm", as).put("cloneFrom", source);
    return ManagedDisks.request(vertx, req.copy().put("linked", true).put("disks", disks), COPY_LIMIT)
        .compose(v -> create.get().recover(t -> ManagedDisks.request(vertx, req.copy().put("freeze", "abort"),
            COPY_LIMIT).transform(ar -> Future.<Void>failedFuture(t))))
        .compose(v -> ManagedDisks.request(vertx, req.copy().put("freeze", "commit"), COPY_LIMIT)
            .onFailure(t -> stuck.run()));
  }

  private static VmException invalid(String path, String message) {
    return VmException.invalid(path + ": " + message, new JsonArray()
        .add(new JsonObject().put("path", path).put("message", message)));
  }
}
