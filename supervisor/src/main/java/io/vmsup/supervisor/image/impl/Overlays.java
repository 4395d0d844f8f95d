package io.vmsup.supervisor.image.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Makes the disks of a new VM before its spec is written: {@code vms/<vm>/disks/<id>.qcow2}, a copy-on-write overlay
 * over an image of the store or a new empty qcow2, each after its record ({@code <id>.json}). All or nothing: a
 * failure removes every disk this request made. Body {@code {"vm","disks":[{"at","id","image"?,"size"?}]}}, or
 * {@code {"vm","discard":true}} to remove them again (the VM's create failed later), or
 * {@code {"vm","cloneFrom","disks"}}: a copy of each of those disks of VM {@code cloneFrom} (an overlay stays an
 * overlay over the same image). Blocking.
 */
public final class Overlays {

  /** Where a VM's daemon-made disks live, below its directory. */
  public static final String DIR = "disks";

  private final ImageFiles files;
  private final QemuImg qemuImg;
  private final Path vms;

  public Overlays(ImageFiles files, QemuImg qemuImg, Path stateDir) {
    this.files = files;
    this.qemuImg = qemuImg;
    this.vms = stateDir.toAbsolutePath().normalize().resolve("vms");
  }

  /**
   * @param progress a clone's copy: the disk's id and percent done, from this worker thread
   */
  public JsonObject handle(JsonObject body, BiConsumer<String, Double> progress) throws IOException {
    String vm = body.getString("vm");
    checkVm(vm);
    Path dir = vms.resolve(vm).resolve(DIR);
    if (body.getBoolean("discard", false)) {
      AtomicFiles.deleteTree(dir);
      removeIfEmpty(dir.getParent());
      return new JsonObject().put("vm", vm).put("discarded", true);
    }
    if (Files.exists(vms.resolve(vm).resolve("spec.json"))) {
      throw new VmException(ErrorCode.CONFLICT, "VM directory " + vms.resolve(vm) + " holds a VM already");
    }
    String from = body.getString("cloneFrom");
    List<Want> wants = from == null ? check(body.getJsonArray("disks", new JsonArray()))
        : cloned(from, body.getJsonArray("disks", new JsonArray()));
    // left by a create that crashed before its spec was written: nobody's disks
    AtomicFiles.deleteTree(dir);
    JsonArray made = new JsonArray();
    try {
      AtomicFiles.ensureDir(dir);
      for (Want w : wants) {
        made.add(make(dir, w, progress));
      }
      AtomicFiles.fsyncDir(dir);
    } catch (IOException | RuntimeException e) {
      AtomicFiles.deleteTree(dir);
      removeIfEmpty(dir.getParent());
      if (e instanceof VmException v) {
        throw v;
      }
      String why = AtomicFiles.reason(e);
      throw new VmException(why.contains("No space") ? ErrorCode.NOT_PERSISTED : ErrorCode.INTERNAL,
          "the disks of VM '" + vm + "' were not made: " + why, new JsonObject().put("path", dir.toString()));
    }
    return new JsonObject().put("vm", vm).put("disks", made);
  }

  /**
   * One disk {@code {"at","id","image"?,"size"?}} for an existing VM (an attach): made in its {@code disks/} after
   * its record, beside the others; a leftover of the same id (an attach cut short: the spec has no such disk, as the
   * attach checked) is replaced. On a failure nothing of it is left. INVALID at {@code at.image}/{@code at.size}.
   */
  public JsonObject attach(String vm, JsonObject disk) throws IOException {
    checkVm(vm);
    if (!Files.exists(vms.resolve(vm).resolve("spec.json"))) {
      throw new VmException(ErrorCode.NOT_FOUND, "no VM directory " + vms.resolve(vm));
    }
    Want w = check(new JsonArray().add(disk)).get(0);
    Path dir = vms.resolve(vm).resolve(DIR);
    try {
      drop(vm, w.id());
      AtomicFiles.ensureDir(dir);
      JsonObject made = make(dir, w, (id, pct) -> { });
      AtomicFiles.fsyncDir(dir);
      return new JsonObject().put("vm", vm).put("disk", made);
    } catch (IOException | RuntimeException e) {
      try {
        drop(vm, w.id());
      } catch (IOException | RuntimeException again) {
        e.addSuppressed(again);
      }
      if (e instanceof VmException v) {
        throw v;
      }
      String why = AtomicFiles.reason(e);
      throw new VmException(why.contains("No space") ? ErrorCode.NOT_PERSISTED : ErrorCode.INTERNAL,
          "the disk '" + w.id() + "' of VM '" + vm + "' was not made: " + why, new JsonObject().put("path",
          dir.toString()));
    }
  }

  /** Removes one made disk of a VM (detached, or its attach failed): the disk first, its record last. */
  public JsonObject drop(String vm, String id) throws IOException {
    checkVm(vm);
    if (id == null || id.isEmpty() || id.startsWith(".") || id.contains("/")) {
      throw new VmException(ErrorCode.INVALID, "missing or bad disk id");
    }
    Path dir = vms.resolve(vm).resolve(DIR);
    boolean had = Files.deleteIfExists(dir.resolve(id + ".qcow2"));
    had |= Files.deleteIfExists(dir.resolve(id + ".json"));
    if (had) {
      AtomicFiles.fsyncDir(dir);
    }
    return new JsonObject().put("vm", vm).put("dropped", id);
  }

  // a directory this request made for nothing else (a spec written meanwhile keeps it)
  private static void removeIfEmpty(Path vmDir) {
    try {
      Files.deleteIfExists(vmDir);
    } catch (IOException e) {
      // not empty: another file lives there
    }
  }

  private static void checkVm(String vm) {
    if (vm == null || vm.isEmpty() || vm.startsWith(".") || vm.contains("/")) {
      throw new VmException(ErrorCode.INVALID, "missing or bad 'vm'");
    }
  }

  /** One disk to make: {@code copyOf} (a clone's source disk) or else a new overlay/empty disk. */
  private record Want(String at, String id, String image, String format, Path base, long size, Path copyOf) {
    Want(String at, String id, String image, String format, Path base, long size) {
      this(at, id, image, format, base, size, null);
    }
  }

  // the source VM's disks as their records describe them (the image below each, if any)
  private List<Want> cloned(String from, JsonArray disks) {
    checkVm(from);
    Path src = vms.resolve(from).resolve(DIR);
    List<Want> out = new ArrayList<>();
    for (Object o : disks) {
      JsonObject d = (JsonObject) o;
      String id = d.getString("id");
      JsonObject rec;
      try {
        rec = new JsonObject(Files.readString(src.resolve(id + ".json"), StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException e) {
        throw new VmException(ErrorCode.INTERNAL, "VM '" + from + "' has no readable record of its disk '" + id
            + "' (" + src.resolve(id + ".json") + "): " + AtomicFiles.reason(e));
      }
      String image = rec.getString("image");
      String format = image == null ? null : files.record(image).getString("format");
      Path base = image == null ? null : Path.of(rec.getString("backing"));
      out.add(new Want(d.getString("at"), id, image, format, base, rec.getLong("size", 0L),
          src.resolve(id + ".qcow2")));
    }
    return out;
  }

  private List<Want> check(JsonArray disks) {
    List<Want> out = new ArrayList<>();
    JsonArray violations = new JsonArray();
    for (Object o : disks) {
      JsonObject d = (JsonObject) o;
      String at = d.getString("at");
      String image = d.getString("image");
      Long size = d.getLong("size");
      if (image == null) {
        out.add(new Want(at, d.getString("id"), null, null, null, size == null ? 0 : size));
        continue;
      }
      JsonObject rec;
      try {
        rec = files.record(image);
      } catch (VmException e) {
        violations.add(new JsonObject().put("path", at + ".image").put("message", "no image named \"" + image
            + "\" in the image store (GET /v1/images lists them)"));
        continue;
      }
      if (rec.getValue("pending") != null) {
        violations.add(new JsonObject().put("path", at + ".image").put("message", "image \"" + image + "\" is being"
            + " frozen for a linked clone; try again when the clone is done"));
        continue;
      }
      long virtual = rec.getLong("virtualSize");
      if (size != null && size < virtual) {
        violations.add(new JsonObject().put("path", at + ".size").put("message", "is " + size + " bytes, smaller"
            + " than image \"" + image + "\" (" + virtual + " bytes); a disk may only be as large or larger"));
        continue;
      }
      out.add(new Want(at, d.getString("id"), image, rec.getString("format"), files.file(image),
          size == null ? virtual : size));
    }
    if (!violations.isEmpty()) {
      throw VmException.invalid(violations.getJsonObject(0).getString("path") + ": "
          + violations.getJsonObject(0).getString("message"), violations);
    }
    return out;
  }

  private JsonObject make(Path dir, Want w, BiConsumer<String, Double> progress) throws IOException {
    Path disk = dir.resolve(w.id() + ".qcow2");
    JsonObject rec = new JsonObject().put("id", w.id()).put("format", "qcow2").put("size", w.size());
    if (w.image() != null) {
      rec.put("image", w.image()).put("backing", w.base().toString());
    }
    if (w.copyOf() != null) {
      rec.put("copyOf", w.copyOf().toString());
    }
    AtomicFiles.write(dir.resolve(w.id() + ".json"), rec.encodePrettily().getBytes(StandardCharsets.UTF_8));
    if (w.copyOf() != null) {
      qemuImg.copyDisk(w.copyOf(), disk, w.base(), w.format(), pct -> progress.accept(w.id(), pct));
    } else if (w.image() != null) {
      qemuImg.overlay(disk, w.base(), w.format(), w.size());
    } else {
      qemuImg.create(disk, "qcow2", w.size());
    }
    return rec.put("file", disk.toString());
  }
}
