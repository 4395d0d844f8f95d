package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Starts a lost host's relocatable VMs on other hosts, and only once their old copies are certainly gone. Every
 * member schedules the relocation when it sees a member leave: after the failure-detection time (the lost side may
 * notice the cut that much later than this side, and renews its lease until it does) plus the lost host's own
 * {@code fenceAfter} (its watchdog kills the QEMUs once the lease runs out) plus {@link #MARGIN} (clock rates, the
 * watchdog's tick). When the time comes, the live member with the smallest host id does it, and only while it
 * stands ({@link Standing}: part of the majority) and the lost host is still not a member. Each VM is moved in the
 * directory first, by compare-and-set from {@code (lost, g)} to {@code (target, g + 1)} — the fencing token: a
 * second relocator, or the old host coming back, finds the entry changed — then created on the target from the spec
 * the lost host published and started if it ran. A host that published no lease (no watchdog) is never relocated.
 */
final class Relocator {

  static final Duration MARGIN = Duration.ofSeconds(2);
  private static final Duration RETRY = Duration.ofSeconds(3);
  private static final Logger LOG = Logger.getLogger(Relocator.class.getName());
  private static final long REQUEST_MS = 120_000;

  private final Vertx vertx;
  private final String me;
  private final HostTable hosts;
  private final Directory directory;
  private final Relocations known;
  private final BooleanSupplier standing;
  private final Placer placer;
  private final Duration failureAfter;
  /** VMs whose relocation failure was reported already (reported once, retried silently). */
  private final java.util.Set<String> failed = java.util.concurrent.ConcurrentHashMap.newKeySet();

  Relocator(Vertx vertx, String me, HostTable hosts, Directory directory, Relocations known,
      BooleanSupplier standing, Placer placer, Duration failureAfter) {
    this.vertx = vertx;
    this.me = me;
    this.hosts = hosts;
    this.directory = directory;
    this.known = known;
    this.standing = standing;
    this.placer = placer;
    this.failureAfter = failureAfter;
  }

  /** A member left (its Vert.x node id): schedule the relocation of the VMs of the hosts it held. */
  void nodeLeft(String node) {
    hosts.all().onSuccess(records -> records.values().stream().filter(r -> node.equals(r.node()))
        .forEach(this::schedule));
  }

  private void schedule(HostRecord lost) {
    Relocations.Known k = known.of(lost.host());
    if (k == null || k.vms().isEmpty()) {
      return;
    }
    if (k.fenceAfterMs() <= 0) {
      LOG.warning("fleet: host '" + lost.host() + "' runs no fencing watchdog: its relocatable VMs " + k.vms().keySet()
          + " wait for it (UNKNOWN host-lost) and are never started elsewhere");
      return;
    }
    Duration delay = failureAfter.plusMillis(k.fenceAfterMs()).plus(MARGIN);
    LOG.info("fleet: host '" + lost.host() + "' lost; its relocatable VMs " + k.vms().keySet() + " may start"
        + " elsewhere in " + delay.toMillis() + " ms (its lease " + k.fenceAfterMs() + " ms has run out by then)");
    // what the host published while it was a member: a copy of it resumed meanwhile (its QEMUs fenced) must not
    // turn "running" into "stopped" for the relocation
    vertx.setTimer(delay.toMillis(), id -> fire(lost, k));
  }

  /**
   * One round: the smallest live member relocates, if it stands; every member then looks again after
   * {@link #RETRY} while any of the host's VMs is still listed for it (a relocator that stalled or was lost, a
   * target that refused), until the host is back.
   */
  private void fire(HostRecord lost, Relocations.Known k) {
    hosts.all().compose(records -> {
      HostRecord now = records.get(lost.host());
      if (now != null && hosts.live(now)) {
        LOG.info("fleet: host '" + lost.host() + "' is back: not relocating its VMs");
        return Future.succeededFuture(false);
      }
      String relocator = records.values().stream().filter(hosts::live).map(HostRecord::host).sorted()
          .findFirst().orElse(null);
      Future<?> round = Future.succeededFuture();
      if (me.equals(relocator) && standing.getAsBoolean()) {
        List<Future<?>> all = new ArrayList<>();
        for (Map.Entry<String, JsonObject> e : k.vms().entrySet()) {
          all.add(relocate(lost.host(), e.getKey(), e.getValue()));
        }
        round = Future.join(all);
      } else if (me.equals(relocator)) {
        LOG.warning("fleet: not relocating the VMs of host '" + lost.host() + "' now: this member is not part of"
            + " the fleet's majority (or just stalled); trying again in " + RETRY.toSeconds() + " s");
      }
      return round.transform(x -> directory.all()).map(owners -> k.vms().keySet().stream()
          .anyMatch(name -> owners.get(name) != null && lost.host().equals(owners.get(name).host())));
    }).onComplete(ar -> {
      if (ar.failed() || ar.result()) {
        vertx.setTimer(RETRY.toMillis(), id -> fire(lost, k));
      }
    });
  }

  private Future<Void> relocate(String lost, String name, JsonObject vm) {
    JsonObject spec = vm.getJsonObject("spec");
    if (!name.equals(spec.getValue("name"))) {
      LOG.warning("fleet: not relocating '" + name + "': the published spec names '" + spec.getValue("name") + "'");
      return Future.succeededFuture();
    }
    List<String> local = Relocatable.hostLocalDisks(spec);
    return directory.owner(name).compose(owner -> {
      if (owner == null || !owner.host().equals(lost)) {
        return Future.<Void>succeededFuture();
      }
      if (!local.isEmpty()) {
        return Future.failedFuture(new IllegalStateException("its disks " + local + " were made by host '" + lost
            + "' in its own state directory (image/size): relocation needs every disk as a file on storage every"
            + " host sees; the VM waits for its host"));
      }
      return placer.choose(unpinned(spec)).compose(target -> {
        Owner next = new Owner(target, owner.generation() + 1);
        return directory.handOver(name, owner, next).compose(moved -> !moved ? Future.<Void>succeededFuture()
            : startOn(name, spec, vm.getBoolean("running"), lost, next));
      });
    }).recover(t -> {
      if (!failed.add(name + "@" + lost)) {
        return Future.succeededFuture();
      }
      LOG.severe("fleet: relocating VM '" + name + "' of lost host '" + lost + "' failed (tried again every "
          + RETRY.toSeconds() + " s while it is lost): " + t.getMessage());
      publish(name, new JsonObject().put("type", "relocation-failed").put("vm", name).put("from", lost)
          .put("message", String.valueOf(t.getMessage())));
      return Future.succeededFuture();
    });
  }

  private Future<Void> startOn(String name, JsonObject spec, boolean running, String lost, Owner next) {
    DeliveryOptions o = new DeliveryOptions().setSendTimeout(REQUEST_MS);
    var bus = vertx.eventBus();
    Future<?> created = bus.request(Addresses.onHost(next.host(), Addresses.CREATE), spec, o);
    Future<?> started = !running ? created : created.compose(x -> bus.request(Addresses.onHost(next.host(),
        Addresses.START), new JsonObject().put("name", name), o));
    return started.map(x -> {
      LOG.info("fleet: VM '" + name + "' of lost host '" + lost + "' relocated to '" + next.host() + "' (generation "
          + next.generation() + ")");
      publish(name, new JsonObject().put("type", "relocated").put("vm", name).put("from", lost)
          .put("host", next.host()).put("generation", next.generation()).put("started", running));
      return null;
    });
  }

  private void publish(String name, JsonObject event) {
    event.put("timestamp", Instant.now().toString());
    vertx.eventBus().publish(Addresses.events(name), event);
    vertx.eventBus().publish(Addresses.EVENTS, event);
  }

  /** The spec without a host pin: a pin says where a VM is created, relocation goes wherever it fits. */
  private static JsonObject unpinned(JsonObject spec) {
    JsonObject copy = spec.copy();
    if (copy.getValue("placement") instanceof JsonObject p) {
      p.remove("host");
    }
    return copy;
  }
}
