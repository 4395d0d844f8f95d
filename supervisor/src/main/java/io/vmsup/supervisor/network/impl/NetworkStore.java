package io.vmsup.supervisor.network.impl;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.network.NetworkSpec;
import io.vmsup.supervisor.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The networks' files: {@code networks/NAME/network.json} (the definition, defaults filled in, written before
 * anything is made on the host so a crash in between is completed at the next start), dnsmasq's lease, pid and log
 * files beside it, and {@code networks/ip_forward.saved}. Blocking.
 */
final class NetworkStore {

  private static final Logger LOG = Logger.getLogger(NetworkStore.class.getName());
  private static final String FILE = "network.json";

  private final Path root;

  NetworkStore(Path root) {
    this.root = root;
  }

  Path dir(NetworkSpec n) {
    return root.resolve(n.name());
  }

  Path forwardingFile() {
    return root.resolve("ip_forward.saved");
  }

  void ensureDir(NetworkSpec n) throws IOException {
    AtomicFiles.ensureDir(root);
    AtomicFiles.ensureDir(dir(n));
  }

  void write(NetworkSpec n) throws IOException {
    ensureDir(n);
    AtomicFiles.write(dir(n).resolve(FILE), n.toJson().encodePrettily().getBytes(StandardCharsets.UTF_8));
  }

  void delete(NetworkSpec n) throws IOException {
    Path d = dir(n);
    if (!Files.exists(d)) {
      return;
    }
    try (Stream<Path> all = Files.walk(d)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Every stored network that is still valid; a damaged one is logged and left alone (not touched on the host). */
  List<NetworkSpec> loadAll() throws IOException {
    List<NetworkSpec> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : dirs.sorted().toList()) {
        Path file = d.resolve(FILE);
        if (!Files.isRegularFile(file)) {
          continue;
        }
        try {
          out.add(NetworkParser.parse(new JsonObject(Files.readString(file, StandardCharsets.UTF_8))));
        } catch (DecodeException | VmException e) {
          LOG.severe("network definition " + file + " is damaged, not managing it: " + e.getMessage());
        }
      }
    }
    return out;
  }
}
