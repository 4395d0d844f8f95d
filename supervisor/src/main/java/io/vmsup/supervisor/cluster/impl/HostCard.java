package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.JsonArray;
import io.vmsup.config.HostChecks;
import io.vmsup.config.HostFacts;
import io.vmsup.config.SpecResult;
import io.vmsup.config.VmSpecs;
import io.vmsup.supervisor.Supervisor;
import io.vmsup.supervisor.api.VmHandle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What this host tells the fleet about itself ({@code vmsup.hosts.list}, placement): CPUs, memory (total and
 * available from {@code /proc/meminfo}, committed: the guest RAM of its VMs that have a process), VM count, QEMU
 * version, KVM.
 */
final class HostCard {

  private final Vertx vertx;
  private final String hostId;
  private final Supervisor supervisor;
  private String qemuVersion;
  private boolean kvm;
  private HostFacts facts;

  HostCard(Vertx vertx, String hostId, Supervisor supervisor) {
    this.vertx = vertx;
    this.hostId = hostId;
    this.supervisor = supervisor;
  }

  /** Asks QEMU for its version and the host for KVM once, on a worker. */
  Future<Void> probe() {
    return vertx.executeBlocking(() -> {
      facts = HostFacts.probe();
      kvm = facts.kvmUsable();
      qemuVersion = qemuVersion(supervisor.options().qemuBinary());
      return null;
    }, false);
  }

  /** The host's description now; reads {@code /proc/meminfo} on a worker. */
  Future<JsonObject> info() {
    return info(null);
  }

  /**
   * As {@link #info()}, plus {@code "problems"}: what this host lacks for {@code spec} (its host checks: KVM when
   * asked, files present; and a QEMU binary). A spec that does not parse has none here: its create says why.
   */
  Future<JsonObject> info(JsonObject spec) {
    return vertx.executeBlocking(() -> {
      long[] mem = meminfo();
      List<VmHandle> vms = supervisor.vms();
      JsonArray problems = new JsonArray();
      if (spec != null) {
        if (qemuVersion == null) {
          problems.add("no QEMU binary answers at '" + supervisor.options().qemuBinary() + "'");
        }
        if (VmSpecs.parse(spec.encode()) instanceof SpecResult.Valid valid && facts != null) {
          HostChecks.check(valid.spec(), facts).forEach(v -> problems.add(v.toString()));
        }
      }
      return new JsonObject()
          .put("problems", problems)
          .put("host", hostId)
          .put("cpus", Runtime.getRuntime().availableProcessors())
          .put("memoryTotalBytes", mem[0])
          .put("memoryAvailableBytes", mem[1])
          .put("memoryCommittedBytes", committed(vms))
          .put("vms", vms.size())
          .put("qemuVersion", qemuVersion)
          .put("kvm", kvm);
    }, false);
  }

  /** Guest RAM of the VMs that have (or may have) a QEMU process. */
  long committed() {
    return committed(supervisor.vms());
  }

  static long committed(List<VmHandle> vms) {
    long sum = 0;
    for (VmHandle h : vms) {
      if (h.state().hasProcess()) {
        sum += GuestMemory.bytes(h.spec());
      }
    }
    return sum;
  }

  /** MemTotal and MemAvailable in bytes; zeros when unreadable. */
  private static long[] meminfo() {
    long[] out = new long[2];
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        String[] parts = line.split("\\s+");
        if (parts.length >= 2 && parts[0].equals("MemTotal:")) {
          out[0] = Long.parseLong(parts[1]) * 1024;
        } else if (parts.length >= 2 && parts[0].equals("MemAvailable:")) {
          out[1] = Long.parseLong(parts[1]) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // zeros: placement then sees no room, and the reply tells why
    }
    return out;
  }

  private static String qemuVersion(String binary) {
    try {
      Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        String first = in.readLine();
        p.waitFor(10, TimeUnit.SECONDS);
        return first == null ? null : first.replaceFirst("^QEMU emulator version\\s*", "").trim();
      }
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
