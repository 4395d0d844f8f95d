package io.vmsup.supervisor.vm;

import static io.vmsup.supervisor.api.VmState.STOPPED;
import static io.vmsup.supervisor.api.VmState.STOPPING;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Reason;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.launch.StartQueue;

/**
 * A start's place in the supervisor's {@link StartQueue}: taken after the intent record, right before the spawn, given
 * back when QMP answers or the start failed. A start still waiting can be cancelled by a stop, kill or delete: it then
 * ends STOPPED without a QEMU ever spawned, and the start's caller hears CONFLICT.
 */
final class StartTurn {

  private final VmCore vm;
  private StartQueue.Ticket ticket;
  /** The latest start's ticket, kept after it ended for {@link StartQueue#turnAt} until the VM goes. */
  private StartQueue.Ticket last;
  private Future<Void> ended = Future.succeededFuture();
  private Reason cancelledBy = Reason.STOP;

  StartTurn(VmCore vm) {
    this.vm = vm;
  }

  /** Waits for the turn (announced with {@code start-queue} events); fails with {@link StartQueue.Cancelled}. */
  Future<Void> take() {
    StartQueue q = vm.deps().starts();
    StartQueue.Ticket t = q.enter(vm.name(), vm.context());
    ticket = t;
    last = t;
    long asked = System.nanoTime();
    if (t.queued()) {
      vm.events().startQueue(true, t.ahead(), q.limit(), 0);
    }
    return t.turn().onSuccess(v -> vm.events().startQueue(false, 0, q.limit(), (System.nanoTime() - asked) / 1_000_000));
  }

  /** Remembers the start's whole future, so a cancel can wait for its end. */
  void started(Future<Void> launch) {
    ended = launch.transform(ar -> Future.succeededFuture());
  }

  /** Gives the turn back (once; nothing when the start was cancelled while waiting). */
  void release() {
    StartQueue.Ticket t = ticket;
    ticket = null;
    if (t != null) {
      t.release();
    }
  }

  /** The VM is gone: the queue forgets its latest start. */
  void forget() {
    if (last != null) {
      last.forget();
      last = null;
    }
  }

  /** Whether a start of this VM is waiting for its turn. */
  boolean waiting() {
    return ticket != null && !ticket.turn().isComplete();
  }

  /**
   * Takes a waiting start out of the queue: completes once the VM is STOPPED ({@code why} the reason); fails with
   * CONFLICT when no start of this VM waits (it is under way: nothing to cancel).
   */
  Future<Void> cancel(Reason why) {
    StartQueue.Ticket t = ticket;
    cancelledBy = why; // read by cancelled(), which may run within t.cancel()
    if (t == null || !t.cancel("the start was cancelled by " + why.json() + " while it waited for its turn")) {
      return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "VM '" + vm.name() + "' is starting; wait for"
          + " it to run, then " + why.json() + " it", new JsonObject().put("state", vm.state().json())));
    }
    ticket = null;
    cancelledBy = why;
    return ended;
  }

  /**
   * The end of a start cancelled while waiting: its prepared taps and intent record go, STOPPED, nothing spawned; the
   * start's caller hears CONFLICT.
   */
  Future<Void> cancelled(StartQueue.Cancelled c) {
    return NicTaps.remove(vm).transform(x -> vm.record().clearRuntime()).transform(x -> {
      vm.moveTo(STOPPING, cancelledBy);
      vm.moveTo(STOPPED, cancelledBy);
      return Future.<Void>failedFuture(new VmException(ErrorCode.CONFLICT, c.getMessage(),
          new JsonObject().put("state", vm.state().json())));
    });
  }
}
