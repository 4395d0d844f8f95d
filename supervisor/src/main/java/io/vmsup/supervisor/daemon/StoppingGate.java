package io.vmsup.supervisor.daemon;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.VertxInternal;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Scope;
import io.vmsup.supervisor.api.VmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon's stop, as its callers see it. Once the stop began, a request that came from outside the daemon (it
 * carries the scope a transport stamped: HTTP, a bridge, a bus client, another fleet member) is answered UNAVAILABLE
 * "the daemon is stopping" at its delivery and never reaches its handler: nothing of it ran, and the audit closes it
 * {@code failed 503}. The calls already at their handler go on: a QMP pass-through QEMU has not answered yet is
 * answered when the VMs' QMP connections close ({@code "effect": "unknown"}: it was sent), while the HTTP server and the
 * bridges still hold their callers' connections ({@link #replied}); the daemon's own requests (the VMs' stops at
 * shutdown) are never refused. An inbound interceptor, added after the token check and the audit gate.
 */
final class StoppingGate implements Handler<DeliveryContext<Object>> {

  private static final String PREFIX = "vmsup.";

  // read by every delivery on any event loop; written once, by the stop
  private volatile boolean stopping;

  private StoppingGate() {
  }

  static StoppingGate install(Vertx vertx) {
    StoppingGate gate = new StoppingGate();
    vertx.eventBus().addInboundInterceptor(gate);
    return gate;
  }

  /** From now on, requests from outside are refused. */
  void stop() {
    stopping = true;
  }

  @Override
  public void handle(DeliveryContext<Object> dc) {
    Message<Object> m = dc.message();
    if (!stopping || m.replyAddress() == null || !m.address().startsWith(PREFIX)
        || !m.headers().contains(Scope.HEADER)) {
      dc.next();
      return;
    }
    new VmException(ErrorCode.UNAVAILABLE, "the daemon is stopping: " + m.address() + " was not run (ask the"
        + " daemon again once it is back)").failReply(m);
  }

  /**
   * Completes once every event loop ran what was queued on it before: the replies the stop's last steps sent (a
   * pass-through failed as its VM's QMP connection closed) have reached their HTTP or bridge handler, which wrote them
   * out, so closing the servers next does not cut them off. Twice, for a handler that hands its reply on once more.
   */
  static Future<Void> replied(Vertx vertx) {
    return roundTrip(vertx).compose(v -> roundTrip(vertx));
  }

  private static Future<Void> roundTrip(Vertx vertx) {
    List<Future<Void>> all = new ArrayList<>();
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      Promise<Void> ran = Promise.promise();
      loop.execute(ran::tryComplete);
      all.add(ran.future());
    }
    return Future.all(all).mapEmpty();
  }
}
