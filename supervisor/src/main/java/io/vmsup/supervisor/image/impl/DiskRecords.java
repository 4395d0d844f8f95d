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
