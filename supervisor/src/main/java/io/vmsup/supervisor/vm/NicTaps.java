package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.Device;
import io.vmsup.config.Nic;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.launch.UidPool;
import io.vmsup.supervisor.launch.UidRange;
import io.vmsup.supervisor.network.HostPorts;
import io.vmsup.supervisor.network.Taps;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The taps of a VM's NICs on managed networks: asked of the network verticle (its bridge), made on a worker before
 * QEMU starts or a NIC is hot-plugged, removed after QEMU ended or the NIC was unplugged.
 */
final class NicTaps {

  private NicTaps() {
  }

  /** Makes the taps of every NIC of the VM's spec that is on a network; fails INVALID for an unknown network. */
  static Future<Void> prepare(VmCore vm) {
    // the user NICs' forwards first: nothing is made when QEMU could not bind them
    Future<Void> chain = forwards(vm, HostPorts.of(vm.name(), vm.definition().spec()));
    List<Device> devices = vm.definition().spec().devices();
    for (int i = 0; i < devices.size(); i++) {
      if (devices.get(i) instanceof Nic n && n.network().isPresent()) {
        String path = "devices[" + i + "].network";
        chain = chain.compose(v -> make(vm, n, path));
      }
    }
    return chain.recover(t -> remove(vm).transform(ar -> Future.failedFuture(t)));
  }

  /**
   * Whether QEMU can bind these host forwards (checked on a worker): fails INVALID (a privileged port) or CONFLICT
   * (another VM of the daemon with a QEMU, or another process, holds the socket).
   */
  static Future<Void> forwards(VmCore vm, List<HostPorts.Held> held) {
    if (held.isEmpty()) {
      return Future.succeededFuture();
    }
    List<io.vmsup.supervisor.api.VmHandle> others = List.copyOf(vm.deps().table().values());
    boolean uids = vm.options().qemuUids() != null;
    return vm.vertx().executeBlocking(() -> {
      Optional<VmException> refused = HostPorts.checkBind(held, others, !uids && UidRange.isRoot());
      if (refused.isPresent()) {
        throw refused.get();
      }
      return null;
    }, false);
  }

  /** Makes one NIC's tap ({@code path} names the NIC in errors). */
  static Future<Void> make(VmCore vm, Nic n, String path) {
    String network = n.network().orElseThrow();
    // this host's network (in a fleet every member has its own networks under vmsup.host.<id>.network.*)
    return vm.vertx().eventBus().<JsonObject>request(vm.options().fleet().address(Addresses.NETWORK_GET),
            new JsonObject().put("name", network), new DeliveryOptions().setLocalOnly(true)
            .setSendTimeout(vm.options().commandTimeout().toMillis() * 3))
        .map(Message::body)
        .recover(t -> Future.failedFuture(t instanceof ReplyException r && r.failureCode()
            == ErrorCode.NOT_FOUND.code() ? VmException.invalid("VM '" + vm.name() + "' names an unknown network",
                new JsonArray().add(new JsonObject().put("path", path).put("message", "no network '" + network
                    + "' (create it first: vmsup network create)"))) : t))
        .compose(view -> vm.vertx().executeBlocking(() -> {
          Taps.create(n.ifname().orElseThrow(), view.getString("bridge"), n.queues(), uid(vm));
          return null;
        }, false));
  }

  /** Removes one NIC's tap (after it was unplugged). */
  static Future<Void> drop(VmCore vm, Nic n) {
    return vm.vertx().executeBlocking(() -> {
      n.ifname().ifPresent(Taps::delete);
      return null;
    }, false);
  }

  /** Removes every network NIC's tap of the VM (after QEMU ended). */
  static Future<Void> remove(VmCore vm) {
    List<String> taps = vm.definition().spec().devices().stream()
        .filter(d -> d instanceof Nic n && n.network().isPresent()).map(d -> ((Nic) d).ifname().orElseThrow())
        .toList();
    if (taps.isEmpty()) {
      return Future.succeededFuture();
    }
    return vm.vertx().executeBlocking(() -> {
      taps.forEach(Taps::delete);
      return null;
    }, false);
  }

  /** The uid QEMU runs under (the tap's owner), when the daemon gives VMs uids of their own. Blocking. */
  private static OptionalInt uid(VmCore vm) throws IOException {
    if (vm.options().qemuUids() == null) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(UidPool.uidFor(vm.deps().store().vmDir(vm.name()).getParent(), vm.name(),
        vm.options().qemuUids()));
  }
}
