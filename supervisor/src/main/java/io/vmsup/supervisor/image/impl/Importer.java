package io.vmsup.supervisor.image.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.PathRoots;
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
import java.util.List;
import java.util.Set;
import java.util.function.DoubleConsumer;

/**
 * One import: checks the request and the source's header, copies it with {@code qemu-img convert} into a hidden
 * directory, checks the copy, writes its record and renames the directory into place. Anything that fails removes
 * the hidden directory: an image is there whole or not at all. Blocking.
 */
public final class Importer {

  /** Formats the store keeps. */
  static final Set<String> STORED = Set.of("raw", "qcow2");
  /** Source formats: single files whose only references to other files show in qemu-img info (no vmdk extents). */
  static final List<String> SOURCES = List.of("raw", "qcow2", "qed", "vdi", "vhdx", "vpc");
  private static final int MAX_CHAIN = 16;

  private final ImageFiles files;
  private final QemuImg qemuImg;
  private final PathRoots roots;

  public Importer(ImageFiles files, QemuImg qemuImg, PathRoots roots) {
    this.files = files;
    this.qemuImg = qemuImg;
    this.roots = roots;
  }

  /**
   * Imports {@code path} as image {@code name}.
   *
   * @param format   the source's format (no probing), or null to let qemu-img probe it
   * @param flatten  copy a backing chain (each file of it inside the path roots) into one image
   * @param progress percent done, from a worker thread
   */
  public JsonObject run(String name, String path, String format, boolean flatten, DoubleConsumer progress)
      throws IOException {
    Path source = checkSource(name, path, format);
    JsonObject info = qemuImg.info(source, format);
    String from = info.getString("format", "");
    if (!SOURCES.contains(from)) {
      throw invalid("format", "the file is " + from + "; importable formats: " + String.join(", ", SOURCES));
    }
    References.check(source, from, info, flatten, roots, qemuImg, MAX_CHAIN);
    String to = STORED.contains(from) ? from : "qcow2";
    long needed = info.getLong("actual-size", 0L);
    long free = Files.getFileStore(files.root()).getUsableSpace();
    if (needed > free) {
      throw new VmException(ErrorCode.NOT_PERSISTED, "no space for image '" + name + "': it needs about " + needed
          + " bytes, the image store has " + free + " free", new JsonObject().put("path", files.root().toString()));
    }
    Path tmp = files.root().resolve(".import." + name + "." + System.nanoTime());
    try {
      AtomicFiles.ensureDir(tmp);
      Path disk = tmp.resolve(ImageFiles.DISK);
      qemuImg.convert(source, from, disk, to, progress);
      JsonObject copy = qemuImg.info(disk, to);
      if (copy.containsKey("backing-filename")) {
        throw new VmException(ErrorCode.INTERNAL, "the copy of " + source + " still names a backing file");
      }
      Files.setPosixFilePermissions(disk, PosixFilePermissions.fromString("r--------"));
      JsonObject record = new JsonObject().put("name", name).put("format", to)
          .put("virtualSize", copy.getLong("virtual-size")).put("actualSize", copy.getLong("actual-size"))
          .put("file", files.file(name).toString()).put("source", source.toString()).put("sourceFormat", from)
          .put("created", Instant.now().toString());
      AtomicFiles.write(tmp.resolve(ImageFiles.RECORD), record.encodePrettily().getBytes(StandardCharsets.UTF_8));
      place(name, tmp);
      return record;
    } catch (IOException e) {
      throw new VmException(AtomicFiles.reason(e).contains("No space") ? ErrorCode.NOT_PERSISTED : ErrorCode.INTERNAL,
          "image '" + name + "' was not imported: " + AtomicFiles.reason(e));
    } finally {
      AtomicFiles.deleteTree(tmp);
    }
  }

  private Path checkSource(String name, String path, String format) {
    if (!ImageFiles.validName(name)) {
      throw invalid("name", ImageFiles.NAME_RULE);
    }
    if (format != null && !SOURCES.contains(format)) {
      throw invalid("format", "must be one of " + String.join(", ", SOURCES) + " (the source file's format)");
    }
    if (path == null || path.isEmpty()) {
      throw invalid("path", "required: the absolute path of the file to import");
    }
    roots.problem(path).ifPresent(why -> {
      throw invalid("path", why);
    });
    Path source = Path.of(path);
    if (!Files.isRegularFile(source)) {
      throw invalid("path", path + " is not a regular file");
    }
    if (Files.isDirectory(files.root().resolve(name))) {
      throw new VmException(ErrorCode.CONFLICT, "an image named '" + name + "' exists");
    }
    return source;
  }

  private void place(String name, Path tmp) throws IOException {
    Path dir = files.root().resolve(name);
    if (Files.exists(dir)) {
      throw new VmException(ErrorCode.CONFLICT, "an image named '" + name + "' exists");
    }
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDir(files.root());
  }

  static VmException invalid(String path, String message) {
    return VmException.invalid(path + ": " + message, new JsonArray()
        .add(new JsonObject().put("path", path).put("message", message)));
  }
}
