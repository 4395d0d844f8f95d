package io.vmsup.supervisor.hotplug.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.EditableSpec;
import io.vmsup.config.HostChecks;
import io.vmsup.config.HostFacts;
import io.vmsup.config.PathRoots;
import io.vmsup.config.SpecEdit;
import io.vmsup.config.Violation;
import io.vmsup.config.VmSpec;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.spec.VmDefinition;
import io.vmsup.supervisor.spec.SpecParser;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Validates a whole edited spec on a worker: every structural violation (references, buses, ids, limits), plus the
 * host checks of the device being attached only — a host problem of another device (an image deleted while the VM
 * runs, a tap gone) must not block editing the rest, nor detaching that very device. Host facts are probed per
 * request: a device such as {@code /dev/vhost-vsock} may have appeared or gone since the daemon started. The host
 * paths of the device being attached must lie within the path roots.
 */
final class SpecCheck {

  private final Vertx vertx;
  private final String qemuBinary;
  // made when a plug is checked, not per VM: the roots are a dozen paths, and most VMs never see a hot-plug
  private final java.util.function.Supplier<PathRoots> roots;

  SpecCheck(Vertx vertx, String qemuBinary, java.util.function.Supplier<PathRoots> roots) {
    this.vertx = vertx;
    this.qemuBinary = qemuBinary;
    this.roots = roots;
  }

  /**
   * Runs an edit of config-model's {@link EditableSpec} on a worker (it validates the whole edited spec) and checks
   * the result against this host.
   *
   * @param edit     the edit, e.g. {@code spec -> spec.withDevice(json)}
   * @param newIndex index of the device being attached in {@code devices} (host-checked, its violations reported as
   *                 {@code device...}), or -1
   */
  Future<Checked> check(EditableSpec spec, Function<EditableSpec, SpecEdit> edit, int newIndex) {
    String prefix = "devices[" + newIndex + "]";
    return vertx.executeBlocking(() -> {
      SpecEdit outcome = edit.apply(spec);
      if (outcome instanceof SpecEdit.Refused refused) {
        throw renamed(SpecParser.invalid(refused.violations()), prefix);
      }
      EditableSpec edited = ((SpecEdit.Applied) outcome).result();
      VmSpec parsed = edited.spec();
      HostFacts host = HostFacts.probe();
      if (newIndex >= 0) {
        List<Violation> all = new ArrayList<>(roots.get().check(parsed));
        List<String> outside = all.stream().map(Violation::path).toList();
        HostChecks.check(parsed, host).stream().filter(v -> !outside.contains(v.path())).forEach(all::add);
        List<Violation> mine = all.stream().filter(v -> under(v.path(), prefix)).toList();
        if (!mine.isEmpty()) {
          throw renamed(SpecParser.invalid(mine), prefix);
        }
      }
      VmDefinition def = SpecParser.create(host, qemuBinary, roots.get()).define(parsed, edited.json());
      return new Checked(def, parsed);
    }, false);
  }

  private static boolean under(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + ".") || path.startsWith(prefix + "[");
  }

  /** Violations under {@code prefix} (the device being attached) renamed to {@code device...}. */
  static VmException renamed(VmException e, String prefix) {
    if (e.code() != ErrorCode.INVALID) {
      return e;
    }
    JsonArray out = new JsonArray();
    for (Object o : e.details().getJsonArray("violations", new JsonArray())) {
      JsonObject v = ((JsonObject) o).copy();
      String path = v.getString("path", "");
      if (under(path, prefix)) {
        v.put("path", "device" + path.substring(prefix.length()));
      }
      out.add(v);
    }
    return VmException.invalid(e.getMessage(), out);
  }
}
