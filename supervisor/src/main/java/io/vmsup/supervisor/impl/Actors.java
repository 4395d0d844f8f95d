package io.vmsup.supervisor.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Op;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmHandle;
import io.vmsup.supervisor.hotplug.Hotplug;
import io.vmsup.supervisor.image.Clones;
import io.vmsup.supervisor.launch.StartSafetyNet;
import io.vmsup.supervisor.spec.VmDefinition;
import io.vmsup.supervisor.store.StoredVm;
import io.vmsup.supervisor.vm.Candidates;
import io.vmsup.supervisor.vm.VmActor;
import io.vmsup.supervisor.vm.VmDeps;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry's VM actors: one deployment per VM name (reserved while a create or clone is under way), the definition
 * it was deployed with, the views they publish, and the two ways a request reaches an actor: {@link #forward}, when the
 * registry needs the actor's answer, and {@link #handOver}, when the actor answers the caller itself. Used on the
 * registry's context only.
 */
final class Actors {

  private static final Duration MARGIN = Duration.ofSeconds(10);
  private static final Duration START_SEND_LIMIT = Duration.ofDays(1);

  private final Vertx vertx;
  private final VmDeps deps;
  /** name → deployment id; "" while the VM is being created (the name is taken, no actor answers yet). */
  private final Map<String, String> deployments = new HashMap<>();
  private final Map<String, VmDefinition> definitions = new HashMap<>();
  /** name → the deployed actor (absent while it is being deployed). */
  private final Map<String, VmActor> actors = new HashMap<>();

  Actors(Vertx vertx, VmDeps deps) {
    this.vertx = vertx;
    this.deps = deps;
  }

  /** True when a VM of that name exists or is being created. */
  boolean has(String name) {
    return deployments.containsKey(name);
  }

  /** Takes {@code name} for a VM being created; {@link #release} gives it back if the create fails. */
  void reserve(String name) {
    deployments.put(name, "");
  }

  void release(String name) {
    deployments.remove(name);
  }

  /** The definition the VM's actor was deployed with, or null. */
  VmDefinition definition(String name) {
    return definitions.get(name);
  }

  List<String> names() {
    return List.copyOf(deployments.keySet());
  }

  /** Deploys the VM's actor ({@code stored} null for a new VM); on failure the name is free again. */
  Future<String> deploy(VmDefinition def, StoredVm stored, Candidates candidates) {
    return deploy(def, stored, candidates, null);
  }

  /** As above; {@code firstStart}: a new VM's start intent, written with its records (a create-and-start). */
  Future<String> deploy(VmDefinition def, StoredVm stored, Candidates candidates,
      io.vmsup.supervisor.store.RuntimeRecord firstStart) {
    deployments.put(def.name(), "");
    definitions.put(def.name(), def);
    VmActor actor = new VmActor(deps, def, stored, candidates, firstStart);
    return vertx.deployVerticle(actor)
        .onSuccess(id -> {
          deployments.put(def.name(), id);
          actors.put(def.name(), actor);
        })
        .onFailure(t -> {
          deployments.remove(def.name());
          definitions.remove(def.name());
          deps.table().remove(def.name());
        });
  }

  /** Forgets the VM (after its actor deleted it); returns its deployment id to undeploy. */
  String remove(String name) {
    definitions.remove(name);
    actors.remove(name);
    return deployments.remove(name);
  }

  /** The VM's view as its actor last published it. */
  Future<VmHandle> view(String name) {
    VmHandle h = name == null ? null : deps.table().get(name);
    return h == null ? Future.failedFuture(notFound(name)) : Future.succeededFuture(h);
  }

  /** Sends {@code op} to the actor of the VM the body names; its failure comes back as the actor's VmException. */
  Future<JsonObject> forward(Op op, JsonObject body) {
    String name = body == null ? null : body.getString("name");
    String id = name == null ? null : deployments.get(name);
    if (id == null || id.isEmpty()) {
      return Future.failedFuture(notFound(name));
    }
    // a start's limit counts from its turn in the start queue (StartSafetyNet), not from the request
    DeliveryOptions opts = new DeliveryOptions().addHeader(VmActor.OP_HEADER, op.verb())
        .setSendTimeout(op == Op.START ? START_SEND_LIMIT.toMillis() : timeout(op, name, body).toMillis());
    Future<JsonObject> reply = vertx.eventBus().<JsonObject>request(VmActor.address(name), body, opts)
        .map(Message::body);
    if (op == Op.START) {
      reply = StartSafetyNet.guard(vertx, deps.starts(), name, timeout(op, name, body), reply);
    }
    return reply.recover(t -> Future.failedFuture(t instanceof ReplyException r ? VmException.fromReply(r) : t));
  }

  /**
   * Hands the caller's request for {@code op} to the actor of the VM its body names, which answers the caller itself:
   * the reply does not pass through the registry. NOT_FOUND at once when no actor is deployed under that name. The
   * caller's own send timeout is the only wait (the actor's own timers answer first).
   */
  void handOver(Op op, Message<JsonObject> caller) {
    String name = caller.body() == null ? null : caller.body().getString("name");
    VmActor actor = name == null ? null : actors.get(name);
    if (actor == null) {
      notFound(name).failReply(caller);
    } else {
      actor.answer(op, caller);
    }
  }

  /** How long the registry waits for an actor; the actor's own timers fire first, this is the safety net. */
  private Duration timeout(Op op, String name, JsonObject body) {
    var o = deps.options();
    switch (op) {
      case START: // counted from the start's turn
        return o.startTimeout().plus(o.commandTimeout()).plus(MARGIN);
      case STOP:
        // a bad graceSeconds (not a number, negative, huge) is the actor's INVALID reply; this only sizes the wait
        Duration grace = body.getValue("graceSeconds") instanceof Number n && n.doubleValue() >= 0
            && n.doubleValue() <= Integer.MAX_VALUE
            ? Duration.ofMillis((long) (n.doubleValue() * 1000)) : definitions.get(name).rules().stopGrace();
        return grace.plus(o.commandTimeout().multipliedBy(2)).plus(Duration.ofSeconds(10)).plus(MARGIN);
      case ATTACH:
      case DETACH:
        // a plan has up to 3 QMP steps plus their undo; detach also waits for DEVICE_DELETED
        Duration wait = body.getValue("timeoutSeconds") instanceof Number n
            ? Duration.ofMillis((long) (n.doubleValue() * 1000)) : Hotplug.DEFAULT_DETACH_TIMEOUT;
        return wait.plus(o.commandTimeout().multipliedBy(6)).plus(MARGIN);
      case SNAPSHOT_CREATE:
      case SNAPSHOT_REVERT:
      case SNAPSHOT_DELETE:
        // a snapshot with memory writes the guest's RAM: the job's own limit (30 min) fires first
        return Duration.ofMinutes(31);
      case CLONE:
        return Clones.COPY_LIMIT.plus(MARGIN);
      default:
        return o.commandTimeout().plus(MARGIN);
    }
  }

  static VmException notFound(String name) {
    return new VmException(ErrorCode.NOT_FOUND, name == null ? "missing 'name'" : "no VM named '" + name + "'");
  }
}
