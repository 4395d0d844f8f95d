package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Supervisor;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.VmHandle;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * What a host does, when it announces its VMs, with one the directory lists for another host: a relocatable VM that
 * the other host really holds (asked over the mutual-TLS bus, not taken from the directory alone, which a rogue on
 * the membership port could write) was relocated while this host was lost. This host's copy is then killed if it
 * somehow runs (its watchdog killed it already when the lease ran out), its record is deleted here (its disks, on
 * shared storage, now belong to the new owner; disks this host made are kept aside as for {@code delete
 * --keep-disks}), and a {@code fenced} event says so. Anything else (a VM that does not relocate, an owner that
 * does not hold it) is logged SEVERE and left alone: a VM is never killed on the directory's word alone.
 */
final class Yield implements BiConsumer<String, Owner> {

  private static final Logger LOG = Logger.getLogger(Yield.class.getName());
  private static final long REQUEST_MS = 15_000;
  private static final long RETRY_MS = 5_000;
  private static final int TRIES = 24;

  private final Vertx vertx;
  private final String me;
  private final Supervisor supervisor;
  private final Set<String> busy = ConcurrentHashMap.newKeySet();

  Yield(Vertx vertx, String me, Supervisor supervisor) {
    this.vertx = vertx;
    this.me = me;
    this.supervisor = supervisor;
  }

  @Override
  public void accept(String name, Owner owner) {
    VmHandle h = supervisor.vm(name).orElse(null);
    if (h == null || !Relocatable.is(h.spec())) {
      LOG.severe("VM '" + name + "' is held by this host and listed for host '" + owner.host() + "' (generation "
          + owner.generation() + ") in the fleet directory");
      return;
    }
    if (busy.add(name)) {
      attempt(name, owner, TRIES);
    }
  }

  /**
   * One try at confirming and fencing. Right after a merge the bus connection to the owner may be one that died
   * during the split (a request on it is never answered): a failed try is repeated every {@link #RETRY_MS} while
   * this host still holds the VM, {@code TRIES} times at most; then the next membership change tries again.
   */
  private void attempt(String name, Owner owner, int left) {
    DeliveryOptions o = new DeliveryOptions().setSendTimeout(REQUEST_MS);
    var bus = vertx.eventBus();
    bus.<JsonObject>request(Addresses.onHost(owner.host(), Addresses.GET), new JsonObject().put("name", name), o)
        .compose(held -> bus.request(Addresses.onHost(me, Addresses.KILL), new JsonObject().put("name", name), o)
            .otherwise(x -> null)
            .compose(x -> bus.request(Addresses.onHost(me, Addresses.DELETE), new JsonObject().put("name", name)
                .put("keepDisks", true), o))
            .map(x -> {
              LOG.warning("VM '" + name + "' was relocated to host '" + owner.host() + "' (generation "
                  + owner.generation() + ") while this host was lost: this host's copy is fenced and its record"
                  + " deleted");
              JsonObject event = new JsonObject().put("type", "fenced").put("vm", name).put("host", me)
                  .put("owner", owner.host()).put("generation", owner.generation())
                  .put("timestamp", Instant.now().toString());
              // right after a heal the merge gate holds these until every member's view of the subscribers is new
              bus.publish(Addresses.events(name), event);
              bus.publish(Addresses.EVENTS, event.copy());
              return null;
            }))
        .onSuccess(x -> busy.remove(name))
        .onFailure(t -> {
          boolean again = left > 1 && supervisor.vm(name).isPresent();
          LOG.severe("fencing this host's stale copy of VM '" + name + "' (listed for host '" + owner.host()
              + "', generation " + owner.generation() + ") failed: " + t.getMessage() + (again ? "; trying again in "
              + RETRY_MS / 1000 + " s" : "; keeping this host's record (a relocatable VM does not start while"
              + " another host is listed)"));
          if (again) {
            vertx.setTimer(RETRY_MS, id -> attempt(name, owner, left - 1));
          } else {
            busy.remove(name);
          }
        });
  }

  /** True while this host is fencing its copy of {@code name}. */
  boolean busy(String name) {
    return busy.contains(name);
  }
}
