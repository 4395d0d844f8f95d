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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Linked clones: the daemon-made disks of a stopped VM frozen into read-only images of the store, the source and the
 * clone each given a new overlay over them. The clone's {@code spec.json} (written by the state store between
 * {@link #prepare} and {@link #commit}) is the one commit point:
 * <ol>
 * <li>{@link #prepare}: per disk an image {@code images/F/} whose record is {@code pending} (it names the source, the
 * clone, the disk and the source disk's old record) and whose file is a hard link to the source's disk; beside the
 * source's disk a new overlay {@code .<id>.frozen.qcow2} over F; the clone's overlay and record.</li>
 * <li>the clone's spec is written.</li>
 * <li>{@link #commit}: each source disk replaced by its new overlay in one rename, its record naming F; F's file made
 * mode 0400 and its record no longer pending.</li>
 * </ol>
 * {@link #abort} undoes a prepare (F was only a second name of the source's disk). {@link #recover} (at start, before
 * any VM is loaded) commits each pending freeze whose clone's spec exists and aborts the others: after a crash the
 * source is either as before or frozen with its clone made, and its disk is never the file an overlay reads. Blocking.
 */
public final class Freezer {

  private static final String FROZEN = ".frozen.qcow2";

  private final ImageFiles files;
  private final QemuImg qemuImg;
  private final Path vms;

  public Freezer(ImageFiles files, QemuImg qemuImg, Path stateDir) {
    this.files = files;
    this.qemuImg = qemuImg;
    this.vms = stateDir.toAbsolutePath().normalize().resolve("vms");
  }

  /**
   * Step 1 for the disks {@code [{"id"}]} of VM {@code source} and its clone {@code as}; on a failure everything of it
   * is undone (NOT_PERSISTED for a full disk, INTERNAL otherwise).
   */
  public JsonObject prepare(String source, String as, JsonArray disks) throws IOException {
    for (String vm : new String[] {source, as}) {
      if (vm == null || vm.isEmpty() || vm.startsWith(".") || vm.contains("/")) {
        throw new VmException(ErrorCode.INVALID, "missing or bad VM name for a linked clone: " + vm);
      }
    }
    Path cloneDir = vms.resolve(as).resolve(Overlays.DIR);
    if (Files.exists(vms.resolve(as).resolve("spec.json"))) {
      throw new VmException(ErrorCode.CONFLICT, "VM directory " + vms.resolve(as) + " holds a VM already");
    }
    JsonArray made = new JsonArray();
    try {
      AtomicFiles.deleteTree(cloneDir);
      AtomicFiles.ensureDir(cloneDir);
      for (Object o : disks) {
        made.add(freeze(source, as, ((JsonObject) o).getString("id"), cloneDir));
      }
      AtomicFiles.fsyncDir(cloneDir);
      AtomicFiles.fsyncDir(vms.resolve(source).resolve(Overlays.DIR));
    } catch (IOException | RuntimeException e) {
      try {
        abort(source, as);
      } catch (IOException | RuntimeException again) {
        e.addSuppressed(again);
      }
      if (e instanceof VmException v) {
        throw v;
      }
      String why = AtomicFiles.reason(e);
      throw new VmException(why.contains("No space") ? ErrorCode.NOT_PERSISTED : ErrorCode.INTERNAL,
          "the disks of VM '" + source + "' were not frozen for the linked clone '" + as + "': " + why);
    }
    return new JsonObject().put("vm", as).put("from", source).put("images", made);
  }

  private String freeze(String source, String as, String id, Path cloneDir) throws IOException {
    Path srcDir = vms.resolve(source).resolve(Overlays.DIR);
    Path disk = srcDir.resolve(id + ".qcow2");
    JsonObject old = read(srcDir.resolve(id + ".json"));
    JsonObject info = qemuImg.info(disk, "qcow2");
    long size = info.getLong("virtual-size");
    String name = name(source, id);
    Path work = files.root().resolve(".freeze." + name + "." + System.nanoTime());
    Files.createDirectories(work);
    JsonObject record = new JsonObject().put("name", name).put("format", "qcow2").put("virtualSize", size)
        .put("actualSize", info.getLong("actual-size", 0L)).put("file", files.file(name).toString())
        .put("frozenFrom", new JsonObject().put("vm", source).put("disk", id))
        .put("created", Instant.now().toString());
    if (old.getString("image") != null) {
      record.put("image", old.getString("image")).put("backing", old.getString("backing"));
    }
    record.put("pending", new JsonObject().put("vm", source).put("as", as).put("disk", id).put("record", old));
    AtomicFiles.write(work.resolve(ImageFiles.RECORD), record.encodePrettily().getBytes(StandardCharsets.UTF_8));
    Files.createLink(work.resolve(ImageFiles.DISK), disk);
    AtomicFiles.fsyncDir(work);
    Files.move(work, files.root().resolve(name), StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDir(files.root());
    Path base = files.file(name);
    qemuImg.overlay(srcDir.resolve("." + id + FROZEN), base, "qcow2", size);
    JsonObject cloneRecord = diskRecord(id, size, name, base);
    AtomicFiles.write(cloneDir.resolve(id + ".json"), cloneRecord.encodePrettily().getBytes(StandardCharsets.UTF_8));
    qemuImg.overlay(cloneDir.resolve(id + ".qcow2"), base, "qcow2", size);
    return name;
  }

  /** Step 3: the source's disks become their new overlays, the frozen images final. Idempotent. */
  public JsonObject commit(String source, String as) throws IOException {
    JsonArray done = new JsonArray();
    for (JsonObject image : pending(source, as)) {
      String name = image.getString("name");
      String id = image.getJsonObject("pending").getString("disk");
      Path srcDir = vms.resolve(source).resolve(Overlays.DIR);
      Path disk = srcDir.resolve(id + ".qcow2");
      Path next = srcDir.resolve("." + id + FROZEN);
      Path base = files.file(name);
      long size = image.getLong("virtualSize");
      if (!Files.exists(next) && Files.isSameFile(disk, base)) {
        qemuImg.overlay(next, base, "qcow2", size); // cut short before its overlay: never, but make it now
      }
      if (Files.exists(next)) {
        Files.move(next, disk, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.fsyncDir(srcDir);
      }
      AtomicFiles.write(srcDir.resolve(id + ".json"), diskRecord(id, size, name, base).encodePrettily()
          .getBytes(StandardCharsets.UTF_8));
      Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("r--------"));
      image.remove("pending");
      AtomicFiles.write(base.resolveSibling(ImageFiles.RECORD), image.encodePrettily()
          .getBytes(StandardCharsets.UTF_8));
      done.add(name);
    }
    return new JsonObject().put("vm", as).put("from", source).put("images", done);
  }

  /** Undoes {@link #prepare}: the source's disks and records as they were, nothing of the clone's disks. */
  public JsonObject abort(String source, String as) throws IOException {
    for (JsonObject image : pending(source, as)) {
      JsonObject pending = image.getJsonObject("pending");
      String id = pending.getString("disk");
      Path srcDir = vms.resolve(source).resolve(Overlays.DIR);
      Path disk = srcDir.resolve(id + ".qcow2");
      Path base = files.file(image.getString("name"));
      if (Files.exists(base) && (!Files.exists(disk) || !Files.isSameFile(disk, base))) {
        // swapped already (a commit cut short whose clone then vanished): the old disk goes back
        Files.move(base, disk, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      AtomicFiles.write(srcDir.resolve(id + ".json"), pending.getJsonObject("record").encodePrettily()
          .getBytes(StandardCharsets.UTF_8));
      Files.deleteIfExists(srcDir.resolve("." + id + FROZEN));
      AtomicFiles.fsyncDir(srcDir);
      AtomicFiles.deleteTree(base.getParent());
      AtomicFiles.fsyncDir(files.root());
    }
    Path cloneDir = vms.resolve(as);
    if (!Files.exists(cloneDir.resolve("spec.json"))) {
      AtomicFiles.deleteTree(cloneDir.resolve(Overlays.DIR));
      try {
        Files.deleteIfExists(cloneDir);
      } catch (IOException e) {
        // other files live there: not ours
      }
    }
    return new JsonObject().put("vm", as).put("from", source).put("aborted", true);
  }

  /** At start: every pending freeze committed when its clone's spec exists, else aborted. */
  public void recover() throws IOException {
    Set<List<String>> pairs = new LinkedHashSet<>();
    for (Object o : files.list()) {
      JsonObject pending = ((JsonObject) o).getJsonObject("pending");
      if (pending != null) {
        pairs.add(List.of(pending.getString("vm"), pending.getString("as")));
      }
    }
    for (List<String> p : pairs) {
      if (Files.exists(vms.resolve(p.get(1)).resolve("spec.json"))) {
        commit(p.get(0), p.get(1));
      } else {
        abort(p.get(0), p.get(1));
      }
    }
  }

  private List<JsonObject> pending(String source, String as) throws IOException {
    List<JsonObject> out = new ArrayList<>();
    for (Object o : files.list()) {
      JsonObject p = ((JsonObject) o).getJsonObject("pending");
      if (p != null && source.equals(p.getString("vm")) && as.equals(p.getString("as"))) {
        out.add((JsonObject) o);
      }
    }
    return out;
  }

  static JsonObject diskRecord(String id, long size, String image, Path base) {
    return new JsonObject().put("id", id).put("format", "qcow2").put("size", size).put("image", image)
        .put("backing", base.toString());
  }

  private static JsonObject read(Path record) {
    try {
      return new JsonObject(Files.readString(record, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      throw new VmException(ErrorCode.INTERNAL, "no readable disk record " + record + ": " + AtomicFiles.reason(e));
    }
  }

  // <vm>.<disk>-<time>, in the image name rule, unused
  private String name(String source, String id) {
    String stem = clean(source, 36) + "." + clean(id, 16) + "-" + Long.toString(System.currentTimeMillis(), 36);
    String name = stem;
    for (int n = 2; Files.exists(files.root().resolve(name)); n++) {
      name = stem + "-" + n;
    }
    return name;
  }

  private static String clean(String s, int max) {
    String c = s.replaceAll("[^A-Za-z0-9._-]", "_");
    c = c.length() > max ? c.substring(0, max) : c;
    return Character.isLetterOrDigit(c.charAt(0)) ? c : "v" + c;
  }
}
