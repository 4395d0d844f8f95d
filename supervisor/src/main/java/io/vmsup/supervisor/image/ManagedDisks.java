package io.vmsup.supervisor.image;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.Device;
import io.vmsup.config.Disk;
import io.vmsup.config.HostPath;
import io.vmsup.config.VmSpec;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.image.impl.SeedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The disks the daemon makes for a VM ({@code {"image"}} or {@code {"size"}} instead of {@code file}): the requests
 * the registry sends to {@link ImageVerticle} at create, and the host paths a confined QEMU must be granted.
 */
public final class ManagedDisks {

  private static final long TIMEOUT_MS = 120_000;
  private static final SeedImage SEEDS = new SeedImage("genisoimage");

  private ManagedDisks() {
  }

  /** The managed disks of a spec as {@code [{"at","id","image"?,"size"?}]}, {@code at} being the JSON path. */
  public static JsonArray of(VmSpec spec) {
    JsonArray out = new JsonArray();
    List<Device> devices = spec.devices();
    for (int i = 0; i < devices.size(); i++) {
      if (devices.get(i) instanceof Disk d && d.managed()) {
        JsonObject w = new JsonObject().put("at", "devices[" + i + "]").put("id", d.id());
        d.image().ifPresent(img -> w.put("image", img));
        d.size().ifPresent(s -> w.put("size", s.bytes()));
        out.add(w);
      }
    }
    return out;
  }

  /**
   * Makes the spec's managed disks in the VM's directory, all or none (nothing to do without any). Fails INVALID
   * (unknown image, too small a size: each with its JSON path), NOT_PERSISTED (no space), INTERNAL.
   */
  public static Future<Void> make(Vertx vertx, String vm, VmSpec spec) {
    JsonArray disks = of(spec);
    if (disks.isEmpty()) {
      return Future.succeededFuture();
    }
    return request(vertx, new JsonObject().put("vm", vm).put("disks", disks), Duration.ofMillis(TIMEOUT_MS));
  }

  /** Removes what {@link #make} made (the VM's create failed after it). */
  public static Future<Void> discard(Vertx vertx, String vm, VmSpec spec) {
    if (of(spec).isEmpty()) {
      return Future.succeededFuture();
    }
    return request(vertx, new JsonObject().put("vm", vm).put("discard", true), Duration.ofMillis(TIMEOUT_MS));
  }

  /**
   * A hot-plug of a disk the daemon would have to make is refused (INVALID at {@code device.image} or
   * {@code device.size}): disks from images are made at create; attach names a file.
   */
  public static Future<Void> checkAttach(JsonObject body) {
    JsonObject device = body == null ? null : body.getValue("device") instanceof JsonObject d ? d : null;
    if (device == null || !"disk".equals(device.getValue("kind"))) {
      return Future.succeededFuture();
    }
    for (String key : List.of("image", "size")) {
      if (device.containsKey(key)) {
        String message = "a disk made by the daemon (\"image\" or \"size\") is made when the VM is created;"
            + " attach a disk that names its \"file\"";
        return Future.failedFuture(VmException.invalid("device." + key + ": " + message, new JsonArray()
            .add(new JsonObject().put("path", "device." + key).put("message", message))));
      }
    }
    return Future.succeededFuture();
  }

  static Future<Void> request(Vertx vertx, JsonObject body, Duration timeout) {
    // this host's image store: the disks of a VM are made where it is created
    return vertx.eventBus().request(Addresses.IMAGE_DISKS, body, new DeliveryOptions()
            .setSendTimeout(timeout.toMillis()).setLocalOnly(true))
        .<Void>mapEmpty()
        .recover(t -> Future.failedFuture(t instanceof ReplyException r ? VmException.fromReply(r) : t));
  }

  /**
   * Writes the spec's cloud-init seed ({@code <vmDir>/cidata.iso}) before a start, or removes a stale one when the
   * spec has none. Blocking. Fails with a {@link VmException} (genisoimage missing or failing; no space).
   */
  public static void writeSeed(Path vmDir, VmSpec spec) throws java.io.IOException {
    SEEDS.write(vmDir, spec);
  }

  /**
   * What a QEMU under its own uid must open for the managed disks: each overlay read-write, the image below it
   * read-only (as named in the disk's record); and the cloud-init seed read-only. Blocking (reads the records).
   */
  public static List<HostPath> hostPaths(Path vmDir, VmSpec spec) {
    List<HostPath> out = new ArrayList<>();
    if (spec.cloudInit().isPresent()) {
      out.add(new HostPath("cloudInit", vmDir.resolve(io.vmsup.config.CloudInit.SEED_FILE).toString(),
          HostPath.Access.READ));
    }
    JsonArray disks = of(spec);
    for (int i = 0; i < disks.size(); i++) {
      JsonObject d = disks.getJsonObject(i);
      Path file = vmDir.resolve(Disk.managedFile(d.getString("id")));
      out.add(new HostPath(d.getString("at"), file.toString(), HostPath.Access.WRITE));
      Path record = vmDir.resolve(Disk.MANAGED_DIR).resolve(d.getString("id") + ".json");
      try {
        String backing = new JsonObject(Files.readString(record)).getString("backing");
        // a linked clone's frozen image lies over another image: QEMU reads the whole chain, however deep (each
        // linked clone adds a level to its source's); only a loop, which qemu-img never makes, ends the walk early
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (backing != null && seen.add(backing)) {
          out.add(new HostPath(d.getString("at") + ".image", backing, HostPath.Access.READ));
          Path below = Path.of(backing).resolveSibling("image.json");
          backing = Files.exists(below) ? new JsonObject(Files.readString(below)).getString("backing") : null;
        }
      } catch (java.io.IOException | RuntimeException e) {
        // no record: the disk was never made, QEMU's own error will name it
      }
    }
    return out;
  }
}
