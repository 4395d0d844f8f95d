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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The state directory: {@code <root>/vms/<name>/} (0700) holds {@code spec.json}, {@code desired} and {@code
 * runtime.json} (0600, written atomically) plus QEMU's socket, pid file and logs. Every method runs its I/O with
 * {@code executeBlocking} on the caller's context, ordered, so writes of one VM happen in call order.
 */
public final class StateStore {

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(StateStore.class.getName());
  private static final String SPEC = "spec.json";
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
    return root.resolve("vms").resolve(name);
  }

  public Future<Void> init() {
    return vertx.executeBlocking(() -> {
      AtomicFiles.ensureDir(root);
      AtomicFiles.ensureDir(root.resolve("vms"));
      return null;
    });
  }

  /**
   * Creates the VM's directory and writes its spec and desired state. Fails CONFLICT when the directory already
   * holds a spec: a VM the daemon could not load at start, whose QEMU may still run and use that directory.
   */
  public Future<Void> create(String name, String specJson, Desired desired) {
    return vertx.executeBlocking(() -> {
      if (Files.exists(vmDir(name).resolve(SPEC))) {
        throw new VmException(ErrorCode.CONFLICT, "VM directory " + vmDir(name) + " exists but the daemon did not"
            + " load it (see its log at start); move it away first");
      }
      AtomicFiles.ensureDir(vmDir(name));
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put(SPEC, specJson.getBytes(StandardCharsets.UTF_8));
      files.put(DESIRED, (desired.name() + "\n").getBytes(StandardCharsets.UTF_8));
      AtomicFiles.writeAll(vmDir(name), files);
      AtomicFiles.fsyncDir(vmDir(name).getParent());
      return null;
    });
  }

  public Future<Void> writeDesired(String name, Desired desired) {
    return vertx.executeBlocking(() -> {
      writeDesiredBlocking(name, desired);
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

  /** Removes the VM's directory and everything in it. */
  public Future<Void> delete(String name) {
    return vertx.executeBlocking(() -> {
      Path dir = vmDir(name);
      if (Files.exists(dir)) {
        try (Stream<Path> walk = Files.walk(dir)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
        AtomicFiles.fsyncDir(dir.getParent());
      }
      return null;
    });
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
        for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
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
    return new StoredVm(name, Files.readString(spec), desired, runtime);
  }

  private void writeDesiredBlocking(String name, Desired desired) throws IOException {
    AtomicFiles.write(vmDir(name).resolve(DESIRED), (desired.name() + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
