package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Op;
import io.vmsup.supervisor.api.Replies;
import io.vmsup.supervisor.api.SupervisorOptions;
import io.vmsup.supervisor.api.VmException;
import java.time.Duration;
import java.util.List;

/**
 * The plain VM addresses of a fleet member ({@code vmsup.vm.*}): each request goes to the host that owns the VM
 * (the directory says which) on its own address {@code vmsup.host.<id>.vm.*}, with the caller's headers (token
 * scope, transport) and body unchanged; the owner's reply or failure is passed back as is, views gain {@code host}
 * and {@code generation}. A name the directory does not know goes to this host, which answers exactly as a single
 * host would (404). {@code list} and {@code vmsup.hosts.list} gather every host.
 */
final class FleetRouter extends VerticleBase {

  private final String me;
  private final HostTable hosts;
  private final Directory directory;
  private final HostCard card;
  private final FleetMeters meters;
  private final Duration baseTimeout;
  private final Gather gather;
  private final LostHosts lost;
  private final Placer placer = new Placer(this);
  /** Requests forwarded to other hosts and not answered yet, by host: failed at once when their host is lost. */
  private final java.util.Map<String, java.util.Set<io.vertx.core.Promise<Object>>> inFlight =
      new java.util.concurrent.ConcurrentHashMap<>();

  FleetRouter(String me, HostTable hosts, Directory directory, HostCard card, FleetMeters meters, LostHosts lost,
      SupervisorOptions o) {
    this.lost = lost;
    this.me = me;
    this.hosts = hosts;
    this.directory = directory;
    this.card = card;
    this.meters = meters;
    // as long as the owner's registry may take for a start or a stop ladder; the caller's own timeout still rules
    this.baseTimeout = o.startTimeout().plus(o.commandTimeout().multipliedBy(8)).plusSeconds(60);
    this.gather = new Gather(this);
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.CREATE, m -> Replies.when(m, create(m)));
    bus.<JsonObject>consumer(Addresses.LIST, m -> Replies.when(m, gather.vms(m)));
    bus.<JsonObject>consumer(Addresses.HOSTS_LIST, m -> Replies.when(m, gather.hosts()));
    bus.<JsonObject>consumer(Addresses.hostInfo(me), m -> Replies.when(m, card.info(m.body() != null
        && m.body().getValue("spec") instanceof JsonObject spec ? spec : null)));
    bus.<JsonObject>consumer(Addresses.HOST_CORDON, m -> Replies.when(m, cordon(m.body(), true)));
    bus.<JsonObject>consumer(Addresses.HOST_UNCORDON, m -> Replies.when(m, cordon(m.body(), false)));
    for (Op op : Op.values()) {
      if (op.target() == Op.Target.IMAGES || op.target() == Op.Target.NETWORK) {
        HostScoped.serve(this, op);
      } else if (op != Op.CREATE && op != Op.LIST && op != Op.QUERY && op.target() != Op.Target.FLEET) {
        bus.<JsonObject>consumer(op.address(), m -> Replies.when(m, byName(m, op.address())));
      }
    }
    for (String console : List.of(Addresses.CONSOLE_READ, Addresses.CONSOLE_WRITE)) {
      bus.<JsonObject>consumer(console, m -> Replies.when(m, byName(m, console)));
    }
    return Future.succeededFuture();
  }

  /**
   * Creates on the host the {@link Placer} chooses, through that host's own address, unless the name is taken
   * anywhere: CONFLICT naming its host. Two creates racing past this check meet at the owner's claim in the directory, where one wins.
   */
  private Future<Object> create(Message<JsonObject> m) {
    String name = m.body() != null && m.body().getValue("name") instanceof String s ? s : null;
    Future<Owner> owner = name == null ? Future.succeededFuture() : directory.owner(name)
        .recover(t -> Future.failedFuture(unavailable("the fleet directory", t)));
    return owner.compose(o -> o == null ? placer.choose(m.body()).compose(host -> forward(m, host,
            Addresses.CREATE, null))
        : Future.failedFuture(new VmException(ErrorCode.CONFLICT, "VM '" + name + "' exists on host '" + o.host()
            + "'", new JsonObject().put("host", o.host()))));
  }

  /** Sets a host's cordon in the shared host table (any member may). */
  private Future<JsonObject> cordon(JsonObject body, boolean cordoned) {
    if (body == null || !(body.getValue("host") instanceof String host)) {
      return Future.failedFuture(VmException.invalid("body must name a host", new io.vertx.core.json.JsonArray()
          .add(new JsonObject().put("path", "host").put("message", "required: a host id (a string)"))));
    }
    return hosts.cordon(host, cordoned).map(HostRecord::view);
  }

  /** A request about one VM: to its owner, or to this host when no host owns the name. */
  private Future<Object> byName(Message<JsonObject> m, String plain) {
    String name = m.body() != null && m.body().getValue("name") instanceof String s ? s : null;
    if (name == null) {
      return forward(m, me, plain, null);
    }
    return directory.owner(name).recover(t -> Future.failedFuture(unavailable("the fleet directory", t)))
        .compose(owner -> owner == null ? forward(m, me, plain, null) : hosts.get(owner.host()).compose(r -> {
          if (!owner.host().equals(me) && !hosts.live(r)) {
            if (plain.equals(Addresses.GET)) {
              return Future.succeededFuture(lost.view(name, owner));
            }
            return Future.failedFuture(new VmException(ErrorCode.UNAVAILABLE, "VM '" + name + "' is on host '"
                + owner.host() + "', which is lost (not a member of the cluster now)",
                new JsonObject().put("host", owner.host()).put("reason", "host-lost")));
          }
          return forward(m, owner.host(), plain, owner);
        }));
  }

  /** Sends the request to {@code host}'s own address; passes the reply or the failure back unchanged. */
  Future<Object> forward(Message<JsonObject> m, String host, String plain, Owner owner) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout(m.body()).toMillis())
        .setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(m.headers()));
    long t0 = System.nanoTime();
    String verb = plain.substring(plain.lastIndexOf('.') + 1);
    io.vertx.core.Promise<Object> done = io.vertx.core.Promise.promise();
    java.util.Set<io.vertx.core.Promise<Object>> pending = host.equals(me) ? null
        : inFlight.computeIfAbsent(host, h -> java.util.concurrent.ConcurrentHashMap.newKeySet());
    if (pending != null) {
      pending.add(done);
    }
    vertx.eventBus().request(Addresses.onHost(host, plain), m.body(), options).transform(ar -> {
      meters.forwarded(verb, !host.equals(me), ar.succeeded(), System.nanoTime() - t0);
      if (ar.succeeded()) {
        Object body = ar.result().body();
        if (body instanceof JsonObject view && view.containsKey("state") && view.containsKey("name")) {
          view.put("host", host);
          view.put("generation", owner == null ? 1 : owner.generation());
        }
        return Future.succeededFuture(body);
      }
      return Future.failedFuture(passOn(ar.cause(), host));
    }).onComplete(ar -> {
      if (pending != null) {
        pending.remove(done);
      }
      if (ar.succeeded()) {
        done.tryComplete(ar.result());
      } else {
        done.tryFail(ar.cause());
      }
    });
    return done.future();
  }

  /**
   * {@code host} was lost (removed from the cluster): what was forwarded to it and is not answered fails now,
   * UNAVAILABLE with reason {@code host-lost} — whether it was carried out is unknown — instead of at its timeout
   * (a killed or frozen member never answers; the bus does not fail a request whose target node left).
   */
  void hostLost(String host) {
    java.util.Set<io.vertx.core.Promise<Object>> pending = inFlight.remove(host);
    if (pending != null) {
      VmException lostOne = new VmException(ErrorCode.UNAVAILABLE, "host '" + host + "' was lost (it left the"
          + " cluster) before it answered: whether the request was carried out is unknown",
          new JsonObject().put("host", host).put("reason", "host-lost").put("effect", "unknown"));
      // completed on the router's own context, like a reply
      context.runOnContext(v -> pending.forEach(p -> p.tryFail(lostOne)));
    }
  }

  /**
   * The owner's own failure unchanged; the bus's (no reply, no handler) as UNAVAILABLE naming the host. A request
   * that timed out may have been carried out by the owner (only the wait ended): it says {@code "effect": "unknown"},
   * as {@link VmException#fromReply} does for a request on this host; one no handler read never ran.
   */
  static Throwable passOn(Throwable t, String host) {
    if (t instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return VmException.fromReply(r);
    }
    if (t instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT) {
      VmException decoded = VmException.fromReply(r);
      return new VmException(ErrorCode.UNAVAILABLE, "host '" + host + "' did not answer: " + decoded.getMessage(),
          decoded.details().put("host", host));
    }
    return unavailable("host '" + host + "'", t);
  }

  static VmException unavailable(String what, Throwable t) {
    return new VmException(ErrorCode.UNAVAILABLE, what + " did not answer: " + t.getMessage());
  }

  private Duration timeout(JsonObject body) {
    Duration extra = Duration.ZERO;
    for (String key : List.of("graceSeconds", "timeoutSeconds")) {
      if (body != null && body.getValue(key) instanceof Number n && n.doubleValue() > 0
          && n.doubleValue() < 86_400) {
        extra = extra.plusMillis((long) (n.doubleValue() * 1000));
      }
    }
    return baseTimeout.plus(extra);
  }

  io.vertx.core.Vertx vertxOf() {
    return vertx;
  }

  String me() {
    return me;
  }

  HostTable hosts() {
    return hosts;
  }

  LostHosts lost() {
    return lost;
  }

  Directory directory() {
    return directory;
  }
}
