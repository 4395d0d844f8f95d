package io.vmsup.supervisor.image;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.PathRoots;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Replies;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.image.impl.Freezer;
import io.vmsup.supervisor.image.impl.ImageFiles;
import io.vmsup.supervisor.image.impl.Importer;
import io.vmsup.supervisor.image.impl.Overlays;
import io.vmsup.supervisor.image.impl.QemuImg;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Owns the image store ({@code <state>/images/}): answers {@link Addresses#IMAGE_IMPORT}, {@link
 * Addresses#IMAGE_LIST}, {@link Addresses#IMAGE_GET}, {@link Addresses#IMAGE_DELETE} and makes the disks of new VMs
 * ({@link Addresses#IMAGE_DISKS}). Every qemu-img run and file operation happens on a worker; deletes and disk
 * creation run one after another (ordered), so an image is never deleted between the check and a new disk over it.
 */
public final class ImageVerticle extends VerticleBase {

  private final ImageFiles files;
  private final QemuImg qemuImg;
  private final Importer importer;
  private final Overlays overlays;
  private final Freezer freezer;
  private final Set<String> importing = new HashSet<>();
  private final java.util.function.UnaryOperator<String> at;

  /**
   * @param stateDir the daemon's state directory
   * @param qemuImg  the {@code qemu-img} binary (a name on PATH or a path)
   * @param roots    where an imported file may lie
   */
  public ImageVerticle(Path stateDir, String qemuImg, PathRoots roots) {
    this(stateDir, qemuImg, roots, java.util.function.UnaryOperator.identity());
  }

  /**
   * As {@link #ImageVerticle(Path, String, PathRoots)}, answering the image addresses on {@code at.apply(plain)}:
   * the plain ones on a single host, {@code vmsup.host.<id>.image.*} in a fleet (where the fleet router answers the
   * plain ones). The internal disk address is this host's alone (a local consumer) in both.
   */
  public ImageVerticle(Path stateDir, String qemuImg, PathRoots roots, java.util.function.UnaryOperator<String> at) {
    this.at = at;
    this.files = new ImageFiles(stateDir);
    this.qemuImg = new QemuImg(qemuImg);
    this.importer = new Importer(files, this.qemuImg, roots);
    this.overlays = new Overlays(files, this.qemuImg, stateDir);
    this.freezer = new Freezer(files, this.qemuImg, stateDir);
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(at.apply(Addresses.IMAGE_IMPORT), this::importImage);
    bus.<JsonObject>consumer(at.apply(Addresses.IMAGE_LIST), m -> Replies.when(m, vertx.executeBlocking(
        () -> new JsonObject().put("images", files.list()), false)));
    bus.<JsonObject>consumer(at.apply(Addresses.IMAGE_GET), m -> Replies.when(m, vertx.executeBlocking(
        () -> get(name(m)), false)));
    bus.<JsonObject>consumer(at.apply(Addresses.IMAGE_DELETE), m -> Replies.when(m, vertx.executeBlocking(() -> {
      files.delete(name(m));
      return new JsonObject().put("name", name(m)).put("deleted", true);
    }, true)));
    // this host's alone: a VM's disks are made by the store of the host that creates it
    bus.<JsonObject>localConsumer(Addresses.IMAGE_DISKS, this::disks);
    return vertx.executeBlocking(() -> {
      // a linked clone cut short is finished or undone before anything else looks at the disks
      freezer.recover();
      files.init();
      return null;
    });
  }

  // a clone's copies may take long: not in the ordered queue of creates and deletes (its source's disk records keep
  // the images in use meanwhile)
  private void disks(Message<JsonObject> m) {
    JsonObject body = m.body() == null ? new JsonObject() : m.body();
    String from = body.getValue("cloneFrom") instanceof String s ? s : null;
    String vm = body.getValue("vm") instanceof String s ? s : null;
    if (body.getValue("attach") instanceof JsonObject disk) {
      Replies.when(m, vertx.executeBlocking(() -> overlays.attach(vm, disk), true));
      return;
    }
    if (body.getValue("drop") instanceof String id) {
      Replies.when(m, vertx.executeBlocking(() -> overlays.drop(vm, id), true));
      return;
    }
    if (from != null && (body.getValue("freeze") instanceof String || Boolean.TRUE.equals(body.getValue("linked")))) {
      // a linked clone's steps are short (no copy): ordered with creates and deletes
      Replies.when(m, vertx.executeBlocking(() -> switch (String.valueOf(body.getValue("freeze"))) {
        case "commit" -> freezer.commit(from, vm);
        case "abort" -> freezer.abort(from, vm);
        default -> freezer.prepare(from, vm, body.getJsonArray("disks", new io.vertx.core.json.JsonArray()));
      }, true));
      return;
    }
    Replies.when(m, vertx.executeBlocking(() -> overlays.handle(body, (disk, pct) -> vertx.eventBus().publish(
        Addresses.EVENTS, new JsonObject().put("type", "clone-progress").put("vm", vm).put("from", from)
            .put("disk", disk).put("percent", pct).put("timestamp", Instant.now().toString()))), from == null));
  }

  private JsonObject get(String name) throws java.io.IOException {
    JsonObject record = files.record(name);
    return record.put("info", qemuImg.info(files.file(name), record.getString("format")))
        .put("usedBy", new io.vertx.core.json.JsonArray(files.users(name)));
  }

  private void importImage(Message<JsonObject> m) {
    JsonObject body = m.body() == null ? new JsonObject() : m.body();
    String name = body.getValue("name") instanceof String s ? s : null;
    Object path = body.getValue("path");
    Object format = body.getValue("format");
    Object flatten = body.getValue("flatten");
    if (!(path == null || path instanceof String) || !(format == null || format instanceof String)
        || !(flatten == null || flatten instanceof Boolean)) {
      invalidTypes().failReply(m);
      return;
    }
    if (name != null && !importing.add(name)) {
      new VmException(ErrorCode.CONFLICT, "image '" + name + "' is being imported").failReply(m);
      return;
    }
    Future<JsonObject> done = vertx.executeBlocking(() -> importer.run(name, (String) path, (String) format,
        Boolean.TRUE.equals(flatten), pct -> progress(name, pct)), false);
    Replies.when(m, done.onComplete(ar -> importing.remove(name)));
  }

  private void progress(String name, double percent) {
    vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put("type", "image-progress").put("image", name)
        .put("percent", percent).put("timestamp", Instant.now().toString()));
  }

  private static VmException invalidTypes() {
    return VmException.invalid("path and format must be strings, flatten a boolean",
        new io.vertx.core.json.JsonArray().add(new JsonObject().put("path", "$")
            .put("message", "{\"name\": string, \"path\": string, \"format\"?: string, \"flatten\"?: boolean}")));
  }

  private static String name(Message<JsonObject> m) {
    return m.body() == null ? null : m.body().getString("name");
  }
}
