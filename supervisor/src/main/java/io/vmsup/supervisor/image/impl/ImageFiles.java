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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The image store's layout: {@code <state>/images/<name>/disk} (the image, mode 0400) beside {@code image.json} (its
 * record: format, sizes, source). An import is built in {@code images/.import.<name>.<n>/} and renamed into place; a
 * delete renames the directory to {@code images/.deleted.<name>.<n>/} first; whatever a crash leaves under a dot-name
 * is removed at the next start. The disks of VMs made from images keep a record of their image beside them
 * ({@code vms/<vm>/disks/<id>.json}), written before the disk: that is what "in use" means. Blocking.
 */
public final class ImageFiles {

  /** The rule of an image name (the VM name rule without commas and pluses). */
  public static final String NAME_RULE = "must be 1-63 characters from A-Z a-z 0-9 . _ - and start with a letter"
      + " or digit";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  static final String DISK = "disk";
  static final String RECORD = "image.json";

  private final Path state;
  private final Path root;

  public ImageFiles(Path stateDir) {
    this.state = stateDir.toAbsolutePath().normalize();
    this.root = state.resolve("images");
  }

  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  public Path root() {
    return root;
  }

  /** The image file of an image (exists or not). */
  public Path file(String name) {
    return root.resolve(name).resolve(DISK);
  }

  /**
   * Creates the store and removes what interrupted imports and deletes left, the disks a create or a clone made
   * before it was cut short (a VM directory without {@code spec.json}: nobody's disks, which would keep their images
   * in use), and the made disks a VM's spec does not name (an attach cut short, a detach whose removal failed). Runs
   * at start, before any create.
   */
  public void init() throws IOException {
    AtomicFiles.ensureDir(root);
    try (Stream<Path> all = Files.list(root)) {
      for (Path p : all.filter(p -> p.getFileName().toString().startsWith(".")).toList()) {
        AtomicFiles.deleteTree(p);
      }
    }
    Path vms = state.resolve("vms");
    if (!Files.isDirectory(vms)) {
      return;
    }
    try (Stream<Path> all = Files.list(vms)) {
      for (Path p : all.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        if (Files.isRegularFile(p.resolve("spec.json"))) {
          DiskRecords.dropUnnamed(p);
        } else if (Files.isDirectory(p.resolve(Overlays.DIR))) {
          AtomicFiles.deleteTree(p.resolve(Overlays.DIR));
          try {
            Files.deleteIfExists(p);
          } catch (IOException e) {
            // other files live there: not ours to remove
          }
        }
      }
    }
  }

  /** The record of an image, or NOT_FOUND. */
  public JsonObject record(String name) {
    if (!validName(name)) {
      throw new VmException(ErrorCode.NOT_FOUND, "no image named '" + name + "'");
    }
    Path rec = root.resolve(name).resolve(RECORD);
    try {
      return new JsonObject(Files.readString(rec, StandardCharsets.UTF_8));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new VmException(ErrorCode.NOT_FOUND, "no image named '" + name + "'");
    } catch (IOException | RuntimeException e) {
      throw new VmException(ErrorCode.INTERNAL, "cannot read " + rec + ": " + AtomicFiles.reason(e));
    }
  }

  /** Every image's record, by name. */
  public JsonArray list() throws IOException {
    JsonArray out = new JsonArray();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> all = Files.list(root)) {
      for (Path p : all.filter(p -> validName(p.getFileName().toString())).sorted().toList()) {
        if (Files.isRegularFile(p.resolve(RECORD))) {
          out.add(record(p.getFileName().toString()));
        }
      }
    }
    return out;
  }

  /**
   * The names of the VMs (and kept disks, as {@code kept/<dir>}) whose disks are backed by the image, directly or
   * through a frozen image over it (a linked clone's base, also named as {@code image/<name>}).
   */
  public List<String> users(String image) throws IOException {
    List<String> users = new ArrayList<>();
    users(image, users, new java.util.HashSet<>());
    return users;
  }

  private void users(String image, List<String> users, java.util.Set<String> seen) throws IOException {
    if (!seen.add(image)) {
      return;
    }
    List<String> direct = new ArrayList<>();
    users(state.resolve("vms"), image, "", true, direct);
    users(state.resolve("kept"), image, "kept/", false, direct);
    for (Object o : list()) {
      JsonObject r = (JsonObject) o;
      if (image.equals(r.getString("image"))) {
        direct.add("image/" + r.getString("name"));
        users(r.getString("name"), direct, seen);
      }
    }
    for (String u : direct) {
      if (!users.contains(u)) {
        users.add(u);
      }
    }
  }

  private static void users(Path dir, String image, String prefix, boolean inDisks, List<String> users)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> all = Files.list(dir)) {
      for (Path p : all.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
        var images = DiskRecords.images(inDisks ? p.resolve("disks") : p);
        if (images.contains(image) || images.contains("?")) {
          users.add(prefix + p.getFileName().toString());
        }
      }
    }
  }

  /** Removes an image: CONFLICT naming its users while any VM's disk is backed by it; NOT_FOUND when absent. */
  public void delete(String name) throws IOException {
    if (record(name).getValue("pending") != null) {
      throw new VmException(ErrorCode.CONFLICT, "image '" + name + "' is being frozen for a linked clone; try again"
          + " when the clone is done");
    }
    List<String> users = users(name);
    if (!users.isEmpty()) {
      throw new VmException(ErrorCode.CONFLICT, "image '" + name + "' backs disks of VM(s) " + String.join(", ", users)
          + "; delete those VMs first", new JsonObject().put("usedBy", new JsonArray(users)));
    }
    Path dir = root.resolve(name);
    Path trash = root.resolve(".deleted." + name + "." + System.nanoTime());
    try {
      Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.fsyncDir(root);
    } catch (IOException e) {
      throw new VmException(ErrorCode.NOT_PERSISTED, "image '" + name + "' was not deleted: "
          + AtomicFiles.reason(e), new JsonObject().put("path", dir.toString()));
    }
    AtomicFiles.deleteTree(trash);
  }
}
