package io.vmsup.supervisor.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The state directory: {@code <root>/format.json} records its layout version ({@link StateFormat});
 * {@code <root>/vms/<name>/} (0700) holds {@code spec.json}, {@code desired} and {@code
 * runtime.json} (0600, written atomically) plus QEMU's socket, pid file and logs. Every method runs its I/O with
 * {@code executeBlocking} on the caller's context, ordered, so writes of one VM happen in call order; a create,
 * always its VM's first write, runs unordered (creates of many VMs do not wait for each other).
 */
public final class StateStore {

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(StateStore.class.getName());
  private static final String SPEC = "spec.json";
  /** The daemon-owned PCI layout, beside the user's spec (which is never rewritten with addresses). */
  private static final String PCI = "pci.json";
  private static final String DESIRED = "desired";
  private static final String RUNTIME = "runtime.json";

  private final Vertx vertx;
  private final Path root;

  public StateStore(Vertx vertx, Path root) {
    this.vertx = vertx;
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** The directory of one VM. */
  public Path vmDir(String name) {
    return vmDir(root, name);
  }

  /** The directory of one VM in a state directory (made absolute): what the daemon uses, for tools without one. */
  public static Path vmDir(Path stateDir, String name) {
    return stateDir.toAbsolutePath().normalize().resolve("vms").resolve(name);
  }

  /** Removes the VM's directory and everything in it: {@link #retire(String)}, then {@link #purgeDeleted()}. */
  public Future<Void> delete(String name) {
    return retire(name).compose(v -> purgeDeleted());
  }

  /**
   * Brings the directory to this daemon's format ({@link StateFormat}: an older one is upgraded in place, a newer one
   * refused with a {@link StateFormatException}), creates the directories, spreads new VM directories over the file
   * system ({@link SpreadDirs}: ext2/3/4 only) and removes what deletes left behind ({@code vms/.deleted.*}).
   */
  public Future<Void> init() {
    return vertx.executeBlocking(() -> {
      StateFormat.upgrade(root, StateFormat.steps(), StateFormat.CURRENT, LOG::info);
      AtomicFiles.ensureDir(root);
      AtomicFiles.ensureDir(root.resolve("vms"));
      SpreadDirs.mark(root.resolve("vms"));
      purgeDeletedBlocking();
      return null;
    });
  }

  /**
   * Creates the VM's directory and writes its spec and desired state. Fails CONFLICT when the directory already
   * holds a spec: a VM the daemon could not load at start, whose QEMU may still run and use that directory. Fails
   * NOT_PERSISTED when a write fails; then nothing is left behind (a directory this call made is removed).
   */
  public Future<Void> create(String name, String specJson, Desired desired) {
    return create(name, specJson, desired, null);
  }

  /** As {@link #create(String, String, Desired)}, with the VM's PCI layout ({@code pci.json}) when not null. */
  public Future<Void> create(String name, String specJson, Desired desired, String layoutJson) {
    return create(name, specJson, desired, layoutJson, null);
  }

  /**
   * As above, and for a create-and-start the start's intent ({@code runtime.json}, with {@code desired} RUNNING), all
   * in one write: the records a spawn needs are durable with the VM itself (two flush rounds instead of four).
   */
  public Future<Void> create(String name, String specJson, Desired desired, String layoutJson,
      RuntimeRecord intent) {
    // unordered: a create is its VM's first write (its later ones come from its actor, once this one ended), and the
    // registry's ordered queue would write a burst's new VMs one after the other, each waiting for the last's flushes
    return vertx.executeBlocking(() -> {
      NewVmFiles.write(name, vmDir(name), specJson, desired, layoutJson, intent);
      return null;
    }, false);
  }

  /** Replaces the VM's PCI layout ({@code pci.json}, atomically). */
  public Future<Void> writeLayout(String name, String layoutJson) {
    return vertx.executeBlocking(() -> {
      writeLayoutBlocking(name, layoutJson);
      return null;
    });
  }

  /** {@link #writeLayout} for callers already on a worker. */
  public void writeLayoutBlocking(String name, String layoutJson) throws IOException {
    AtomicFiles.write(vmDir(name).resolve(PCI), layoutJson.getBytes(StandardCharsets.UTF_8));
  }

  public Future<Void> writeDesired(String name, Desired desired) {
    return vertx.executeBlocking(() -> {
      writeDesiredBlocking(name, desired);
      return null;
    });
  }

  /**
   * A start's records before its spawn, in one write: the desired state and the intent ({@code runtime.json}), both
   * fsync'd at once, then the directory.
   */
  public Future<Void> writeStart(String name, Desired desired, RuntimeRecord intent) {
    return vertx.executeBlocking(() -> {
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put(DESIRED, (desired.name() + "\n").getBytes(StandardCharsets.UTF_8));
      files.put(RUNTIME, intent.toJson().encodePrettily().getBytes(StandardCharsets.UTF_8));
      AtomicFiles.writeAll(vmDir(name), files);
      return null;
    });
  }

  public Future<Void> writeRuntime(String name, RuntimeRecord runtime) {
    return vertx.executeBlocking(() -> {
      byte[] json = runtime.toJson().encodePrettily().getBytes(StandardCharsets.UTF_8);
      AtomicFiles.write(vmDir(name).resolve(RUNTIME), json);
      return null;
    });
  }

  public Future<Void> clearRuntime(String name) {
    return vertx.executeBlocking(() -> {
      AtomicFiles.delete(vmDir(name).resolve(RUNTIME));
      return null;
    });
  }

  /**
   * Writes the whole record of one VM, re-creating its directory if it was removed: the spec, the desired state and
   * the runtime record (deleted when {@code runtime} is null), with one directory fsync. This is how a VM whose
   * writes failed is brought back in step with what the daemon knows. Blocking.
   */
  public void writeRecordBlocking(String name, String specJson, Desired desired, RuntimeRecord runtime)
      throws IOException {
    Path dir = vmDir(name);
    AtomicFiles.ensureDir(dir.getParent());
    AtomicFiles.ensureDir(dir);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(SPEC, specJson.getBytes(StandardCharsets.UTF_8));
    files.put(DESIRED, (desired.name() + "\n").getBytes(StandardCharsets.UTF_8));
    if (runtime != null) {
      files.put(RUNTIME, runtime.toJson().encodePrettily().getBytes(StandardCharsets.UTF_8));
    } else {
      Files.deleteIfExists(dir.resolve(RUNTIME));
    }
    AtomicFiles.writeAll(dir, files, dir.getParent());
  }

  /** Writes one file of a VM atomically. Blocking. */
  public void writeSpecBlocking(String name, String specJson) throws IOException {
    AtomicFiles.write(vmDir(name).resolve(SPEC), specJson.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Takes a VM out of the state directory in one step: its directory is renamed to {@code vms/.deleted.<name>.<n>}
   * (a rename needs no free space), which no daemon start loads. Fails NOT_PERSISTED when the rename fails: then
   * the VM is still there. {@link #purgeDeleted()} removes the renamed tree.
   */
  public Future<Void> retire(String name) {
    return vertx.executeBlocking(() -> {
      Path dir = vmDir(name);
      if (!Files.exists(dir)) {
        return null;
      }
      Path trash = dir.resolveSibling(".deleted." + name + "." + System.nanoTime());
      try {
        Files.move(dir, trash, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException e) {
        throw WriteFailures.of("VM '" + name + "' was not deleted", "its directory's removal", dir, e);
      }
      try {
        AtomicFiles.fsyncDir(dir.getParent());
      } catch (IOException | RuntimeException e) {
        // the rename happened: the VM is gone from the directory, and saying "not deleted" would be false
        LOG.warning("VM '" + name + "' deleted, but the directory " + dir.getParent() + " could not be synced ("
            + AtomicFiles.reason(e) + ")");
      }
      return null;
    });
  }

  /** Removes every retired VM directory (best effort: what fails is logged and tried again at the next start). */
  public Future<Void> purgeDeleted() {
    return vertx.executeBlocking(() -> {
      purgeDeletedBlocking();
      return null;
    });
  }

  private void purgeDeletedBlocking() throws IOException {
    Path vms = root.resolve("vms");
    if (!Files.isDirectory(vms)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(vms)) {
      for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(".deleted.")).toList()) {
        try {
          AtomicFiles.deleteTree(dir);
        } catch (IOException e) {
          LOG.warning("cannot remove deleted VM directory " + dir + " (tried again at the next start): " + e);
        }
      }
    }
  }

  /** Every VM of the state directory; a VM directory without a spec is skipped with its path in the result's log. */
  public Future<List<StoredVm>> loadAll() {
    return vertx.executeBlocking(() -> {
      List<StoredVm> out = new ArrayList<>();
      Path vms = root.resolve("vms");
      if (!Files.isDirectory(vms)) {
        return out;
      }
      try (Stream<Path> dirs = Files.list(vms)) {
        // a name never starts with '.': hidden entries are deletes in progress
        for (Path dir : dirs.filter(d -> Files.isDirectory(d) && !d.getFileName().toString().startsWith("."))
            .sorted().toList()) {
          Path spec = dir.resolve(SPEC);
          if (Files.isRegularFile(spec)) {
            try {
              out.add(load(dir, spec));
            } catch (IOException | RuntimeException e) {
              LOG.severe("cannot read VM directory " + dir + ", not supervising it: " + e);
            }
          }
        }
      }
      return out;
    });
  }

  private StoredVm load(Path dir, Path spec) throws IOException {
    String name = dir.getFileName().toString();
    Path d = dir.resolve(DESIRED);
    Desired desired = Files.isRegularFile(d)
        ? Desired.valueOf(Files.readString(d).trim())
        : Desired.STOPPED;
    Path r = dir.resolve(RUNTIME);
    RuntimeRecord runtime = Files.isRegularFile(r) ? RuntimeRecord.fromJson(new JsonObject(Files.readString(r))) : null;
    Path pci = dir.resolve(PCI);
    String layout = Files.isRegularFile(pci) ? Files.readString(pci) : null;
    return new StoredVm(name, Files.readString(spec), desired, runtime, layout);
  }

  private void writeDesiredBlocking(String name, Desired desired) throws IOException {
    AtomicFiles.write(vmDir(name).resolve(DESIRED), (desired.name() + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
