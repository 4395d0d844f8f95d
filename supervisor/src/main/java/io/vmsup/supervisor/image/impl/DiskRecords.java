package io.vmsup.supervisor.image.impl;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The records of a VM's daemon-made disks: {@code disks/<id>.json} {@code {"id","image"?,"format":"qcow2"}} beside
 * {@code disks/<id>.qcow2}, written before the disk itself so that an image is never seen unused while a disk backed
 * by it exists. Blocking.
 */
final class DiskRecords {

  private DiskRecords() {
  }

  /**
   * Removes the made disks ({@code disks/<id>.json} and {@code .qcow2}) of {@code vmDir} whose id is no made disk
   * ({@code "image"} or {@code "size"}, no {@code "file"}) of its {@code spec.json}; nothing when the spec cannot be
   * read (never remove a disk on a guess).
   */
  static void dropUnnamed(Path vmDir) throws IOException {
    Path disks = vmDir.resolve("disks");
    if (!Files.isDirectory(disks)) {
      return;
    }
    Set<String> named = new TreeSet<>();
    try {
      for (Object o : new JsonObject(Files.readString(vmDir.resolve("spec.json"), StandardCharsets.UTF_8))
          .getJsonArray("devices", new io.vertx.core.json.JsonArray())) {
        if (o instanceof JsonObject d && "disk".equals(d.getValue("kind")) && d.getValue("id") instanceof String id
            && !d.containsKey("file") && (d.containsKey("image") || d.containsKey("size"))) {
          named.add(id);
        }
      }
    } catch (RuntimeException e) {
      return;
    }
    try (Stream<Path> all = Files.list(disks)) {
      for (Path p : all.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
        String id = p.getFileName().toString().replaceFirst("\\.json$", "");
        if (!id.startsWith(".") && !named.contains(id)) {
          Files.deleteIfExists(disks.resolve(id + ".qcow2"));
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The images named by the records in {@code disksDir} (none when the directory is absent). */
  static Set<String> images(Path disksDir) throws IOException {
    Set<String> out = new TreeSet<>();
    if (!Files.isDirectory(disksDir)) {
      return out;
    }
    try (Stream<Path> all = Files.list(disksDir)) {
      for (Path p : all.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
        try {
          String image = new JsonObject(Files.readString(p, StandardCharsets.UTF_8)).getString("image");
          if (image != null) {
            out.add(image);
          }
        } catch (RuntimeException e) {
          // an unreadable record (a crash mid-write is impossible: written atomically); count it as "in use by
          // something": never let a delete through on a guess
          out.add("?");
        }
      }
    }
    return out;
  }
}
