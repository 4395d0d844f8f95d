package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
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
 * the lost host published and started if it ran. The hand-over spends the token: from then on the member that made
 * it owes the new owner that copy and tries again (create unless it is there, start unless it runs) until it is done
 * or the entry changes — a start refused because the target stopped standing meanwhile (the survivors of a frozen
 * master split for a while, under load) must not leave the VM stopped everywhere. A host that published no lease (no
 * watchdog) is never relocated.
 */
final class Relocator {

  static final Duration MARGIN = Duration.ofSeconds(2);
  private static final Duration RETRY = Duration.ofSeconds(3);
  private static final Logger LOG = Logger.getLogger(Relocator.class.getName());
  private static final long REQUEST_MS = 120_000;
  /** The longest wait between two tries of a move this member owes (doubling from {@link #RETRY}). */
  private static final Duration MOVE_BACKOFF_MAX = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final String me;
  private final HostTable hosts;
  private final Directory directory;
  private final Relocations known;
  private final BooleanSupplier standing;
  private final Function<JsonObject, Future<String>> placer;
  private final Duration failureAfter;
  /** VMs whose relocation failure was reported already (reported once, retried silently). */
  private final java.util.Set<String> failed = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Moves this member handed over (the directory names the new owner) and has not seen through: by VM name. */
  private final Map<String, Move> owed = new ConcurrentHashMap<>();

  /**
   * A VM handed over from {@code lost} to {@code next}: created there from {@code spec}, started if it ran; a failed
   * try waits until {@code notBefore} ({@link System#nanoTime}), {@code tries} failed so far.
   */
  private record Move(String lost, Owner next, JsonObject spec, boolean running, int tries, long notBefore) {

    Move later(Duration first, Duration most) {
      long wait = Math.min(first.toMillis() << Math.min(tries, 10), most.toMillis());
      return new Move(lost, next, spec, running, tries + 1, System.nanoTime() + wait * 1_000_000);
    }
  }

  Relocator(Vertx vertx, String me, HostTable hosts, Directory directory, Relocations known,
      BooleanSupplier standing, Function<JsonObject, Future<String>> placer, Duration failureAfter) {
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
   * target that refused), until the host is back. A member that handed a VM over finishes that move in every round
   * in which it stands (see {@link #finish}), also once the host is back: the directory names the new owner.
   */
  private void fire(HostRecord lost, Relocations.Known k) {
    hosts.all().compose(records -> {
      HostRecord now = records.get(lost.host());
      boolean back = now != null && hosts.live(now);
      if (back && !owes(lost.host())) {
        LOG.info("fleet: host '" + lost.host() + "' is back: not relocating its VMs");
        return Future.succeededFuture(false);
      }
      String relocator = records.values().stream().filter(hosts::live).map(HostRecord::host).sorted()
          .findFirst().orElse(null);
      boolean relocates = !back && me.equals(relocator);
      Future<?> round = Future.succeededFuture();
      if (standing.getAsBoolean()) {
        List<Future<?>> all = new ArrayList<>();
        for (Map.Entry<String, JsonObject> e : k.vms().entrySet()) {
          Move move = owed.get(e.getKey());
          if (move != null && move.lost().equals(lost.host())) {
            all.add(finishOwed(e.getKey(), move));
          } else if (relocates) {
            all.add(relocate(lost.host(), e.getKey(), e.getValue()));
          }
        }
        round = Future.join(all);
      } else if (relocates || owes(lost.host())) {
        LOG.warning("fleet: not relocating the VMs of host '" + lost.host() + "' now: this member is not part of"
            + " the fleet's majority (or just stalled); trying again in " + RETRY.toSeconds() + " s");
      }
      return round.transform(x -> directory.all()).map(owners -> owes(lost.host()) || !back && k.vms().keySet()
          .stream().anyMatch(name -> owners.get(name) != null && lost.host().equals(owners.get(name).host())));
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
      return placer.apply(unpinned(spec)).compose(target -> {
        Move move = new Move(lost, new Owner(target, owner.generation() + 1), spec, vm.getBoolean("running"), 0,
            System.nanoTime());
        return directory.handOver(name, owner, move.next()).compose(moved -> {
          if (!moved) {
            return Future.<Void>succeededFuture();
          }
          // the fencing token is spent: from here on this member owes the VM a copy on its new owner
          owed.put(name, move);
          return finish(name, move);
        });
      });
    }).recover(t -> reportFailure(name, lost, t));
  }

  /** The next try of a move this member owes, once its back-off has passed, while the directory still names it. */
  private Future<Void> finishOwed(String name, Move move) {
    if (System.nanoTime() - move.notBefore() < 0) {
      return Future.succeededFuture();
    }
    return directory.owner(name).compose(owner -> {
      if (!move.next().equals(owner)) {
        // deleted or moved again since: no longer this member's to finish
        owed.remove(name, move);
        return Future.<Void>succeededFuture();
      }
      return finish(name, move);
    }).recover(t -> reportFailure(name, move.lost(), t));
  }

  /**
   * Makes the new owner hold the VM, running if it ran: created there unless it is there already (a create whose
   * answer was lost went through), then started unless a QEMU of it runs. A failed step is tried again later
   * ({@link #RETRY}, doubling up to {@link #MOVE_BACKOFF_MAX}): between the hand-over and the start the target may
   * have stopped standing (a split of the survivors, a stall), which refuses the start, and a VM left FAILED there
   * would otherwise never run anywhere.
   */
  private Future<Void> finish(String name, Move move) {
    DeliveryOptions o = new DeliveryOptions().setSendTimeout(REQUEST_MS);
    var bus = vertx.eventBus();
    String host = move.next().host();
    JsonObject byName = new JsonObject().put("name", name);
    Future<Boolean> runs = bus.<JsonObject>request(Addresses.onHost(host, Addresses.GET), byName, o)
        .map(m -> VmState.valueOf(m.body().getString("state")).hasProcess())
        .recover(t -> VmException.wrap(t).code() != ErrorCode.NOT_FOUND ? Future.failedFuture(t)
            : bus.request(Addresses.onHost(host, Addresses.CREATE), move.spec(), o).map(false));
    return runs.compose(running -> running || !move.running() ? Future.succeededFuture()
            : bus.request(Addresses.onHost(host, Addresses.START), byName, o))
        .<Void>map(x -> {
          owed.remove(name, move);
          LOG.info("fleet: VM '" + name + "' of lost host '" + move.lost() + "' relocated to '" + host
              + "' (generation " + move.next().generation() + ")");
          publish(name, new JsonObject().put("type", "relocated").put("vm", name).put("from", move.lost())
              .put("host", host).put("generation", move.next().generation()).put("started", move.running()));
          return null;
        })
        .onFailure(t -> {
          Move next = move.later(RETRY, MOVE_BACKOFF_MAX);
          owed.replace(name, move, next);
          LOG.warning("fleet: VM '" + name + "' was handed over to '" + host + "' (generation "
              + move.next().generation() + ") but is not " + (move.running() ? "running" : "created") + " there yet ("
              + t.getMessage() + "); trying again in about " + (next.notBefore() - System.nanoTime()) / 1_000_000_000
              + " s");
        });
  }

  private Future<Void> reportFailure(String name, String lost, Throwable t) {
    if (!failed.add(name + "@" + lost)) {
      return Future.succeededFuture();
    }
    LOG.severe("fleet: relocating VM '" + name + "' of lost host '" + lost + "' failed (tried again while it is"
        + " lost, or while this member owes its new owner the copy): " + t.getMessage());
    publish(name, new JsonObject().put("type", "relocation-failed").put("vm", name).put("from", lost)
        .put("message", String.valueOf(t.getMessage())));
    return Future.succeededFuture();
  }

  private boolean owes(String lost) {
    return owed.values().stream().anyMatch(m -> m.lost().equals(lost));
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
