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
   * Makes the disk of an attach ({@code {"image"}} or {@code {"size"}}) in the VM's directory, before QEMU or the
   * spec sees it, and answers the device as QEMU opens it (the overlay's absolute path); any other device as it is.
   * Fails INVALID at {@code at.image}/{@code at.size} (unknown image, too small a size), NOT_PERSISTED (no space),
   * INTERNAL; then nothing of the disk is left.
   */
  public static Future<Device> attach(Vertx vertx, String vm, Path vmDir, Device device, String at) {
    if (!(device instanceof Disk d) || !d.managed()) {
      return Future.succeededFuture(device);
    }
    JsonObject want = new JsonObject().put("at", at).put("id", d.id());
    d.image().ifPresent(img -> want.put("image", img));
    d.size().ifPresent(s -> want.put("size", s.bytes()));
    return request(vertx, new JsonObject().put("vm", vm).put("attach", want), Duration.ofMillis(TIMEOUT_MS))
        .map(v -> d.withFile(vmDir.resolve(d.file()).toString()));
  }

  /** Removes a made disk that left the VM (detached, or its attach failed); nothing for other devices. */
  public static Future<Void> detached(Vertx vertx, String vm, Device device) {
    if (!(device instanceof Disk d) || !d.managed()) {
      return Future.succeededFuture();
    }
    return request(vertx, new JsonObject().put("vm", vm).put("drop", d.id()), Duration.ofMillis(TIMEOUT_MS));
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
      out.addAll(images(vmDir, d.getString("id"), d.getString("at")));
    }
    return out;
  }

  /**
   * The images below one made disk, read-only, as its record names them: its image, and for a frozen image (a linked
   * clone's) the image below that, and so on. Blocking; none when the disk has no (readable) record.
   */
  public static List<HostPath> images(Path vmDir, String id, String at) {
    List<HostPath> out = new ArrayList<>();
    Path record = vmDir.resolve(Disk.MANAGED_DIR).resolve(id + ".json");
    try {
      String backing = new JsonObject(Files.readString(record)).getString("backing");
      // a linked clone's frozen image lies over another image: QEMU reads the whole chain, however deep (each
      // linked clone adds a level to its source's); only a loop, which qemu-img never makes, ends the walk early
      java.util.Set<String> seen = new java.util.HashSet<>();
      while (backing != null && seen.add(backing)) {
        out.add(new HostPath(at + ".image", backing, HostPath.Access.READ));
        Path below = Path.of(backing).resolveSibling("image.json");
        backing = Files.exists(below) ? new JsonObject(Files.readString(below)).getString("backing") : null;
      }
    } catch (java.io.IOException | RuntimeException e) {
      // no record: the disk was never made, QEMU's own error will name it
    }
    return out;
  }
}
