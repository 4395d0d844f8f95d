package io.vmsup.supervisor.store;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A new VM's directory and its first records, in one write ({@link AtomicFiles#writeAll}: every file fsync'd at
 * once, renamed, then the directory and its parent fsync'd at once): the spec, the PCI layout, the desired state and,
 * for a create-and-start, the start's intent. A failure leaves nothing behind (a directory this write made is
 * removed). Blocking.
 */
final class NewVmFiles {

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(NewVmFiles.class.getName());
  static final String SPEC = "spec.json";
  static final String PCI = "pci.json";
  static final String DESIRED = "desired";
  static final String RUNTIME = "runtime.json";

  private NewVmFiles() {
  }

  static void write(String name, Path dir, String specJson, Desired desired, String layoutJson, RuntimeRecord intent) {
    if (Files.exists(dir.resolve(SPEC))) {
      throw new VmException(ErrorCode.CONFLICT, "VM directory " + dir + " exists but the daemon did not"
          + " load it (see its log at start); move it away first");
    }
    boolean made = !Files.exists(dir);
    try {
      AtomicFiles.ensureDir(dir);
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put(SPEC, specJson.getBytes(StandardCharsets.UTF_8));
      if (layoutJson != null) {
        files.put(PCI, layoutJson.getBytes(StandardCharsets.UTF_8));
      }
      files.put(DESIRED, (desired.name() + "\n").getBytes(StandardCharsets.UTF_8));
      if (intent != null) {
        files.put(RUNTIME, intent.toJson().encodePrettily().getBytes(StandardCharsets.UTF_8));
      }
      AtomicFiles.writeAll(dir, files, dir.getParent());
    } catch (IOException | RuntimeException e) {
      String left = undo(dir, made);
      throw WriteFailures.of("VM '" + name + "' was not created", intent == null ? "spec.json, pci.json and desired"
          : "spec.json, pci.json, desired and runtime.json (the start's intent)", dir, e,
          new JsonObject().put("leftBehind", left));
    }
  }

  /** Removes what a failed create wrote; the path of anything that could not be removed, else null. */
  private static String undo(Path dir, boolean made) {
    try {
      if (made) {
        AtomicFiles.deleteTree(dir);
      } else {
        for (String f : new String[] {SPEC, PCI, DESIRED, RUNTIME}) {
          Files.deleteIfExists(dir.resolve(f));
        }
      }
      AtomicFiles.fsyncDir(dir.getParent());
      return null;
    } catch (IOException | RuntimeException e) {
      LOG.severe("cannot remove what a failed create left in " + dir + ": " + e);
      return Files.exists(dir) ? dir.toString() : null;
    }
  }
}
