package io.vmsup.supervisor.link.impl;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpBacklogException;
import io.vmsup.qmp.QmpClient;
import io.vmsup.qmp.QmpClosedException;
import io.vmsup.qmp.QmpCommands;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpErrorException;
import io.vmsup.qmp.QmpEvent;
import io.vmsup.qmp.QmpFd;
import io.vmsup.qmp.QmpTimeoutException;
import io.vmsup.qmp.QmpUnsendableException;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.link.QmpLink;
import java.time.Duration;

/** A {@link QmpLink} over the qmp-client module; the one place that maps its exceptions to {@link ErrorCode}s. */
final class ClientQmpLink implements QmpLink {

  private final QmpClient client;
  private Handler<QmpEvent> events = e -> { };

  ClientQmpLink(QmpClient client) {
    this.client = client;
    client.subscribe(null, e -> events.handle(e));
  }

  @Override
  public <T> Future<T> execute(QmpCommand<T> command, Duration timeout) {
    return client.execute(command, timeout).recover(t -> Future.failedFuture(map(command.name(), timeout, t)));
  }

  @Override
  public Future<Void> passFd(String name, QmpFd fd) {
    return client.executeWithFd(QmpCommands.getfd(name), fd)
        .recover(t -> Future.failedFuture(map("getfd", null, t)));
  }

  private static final String UNKNOWN = "; whether it took effect is unknown";

  /** A failure's member for a command sent without an answer: whether it took effect is not known (the audit's too). */
  private static JsonObject effectUnknown() {
    return new JsonObject().put("effect", "unknown");
  }

  static VmException map(String command, Duration timeout, Throwable t) {
    if (t instanceof QmpTimeoutException) {
      // QEMU may still run it, or have run it without answering
      return new VmException(ErrorCode.UNAVAILABLE, "QEMU did not answer '" + command + "' within "
          + (timeout == null ? "the client's command timeout" : timeout.toMillis() + " ms") + UNKNOWN, effectUnknown());
    }
    if (t instanceof QmpUnsendableException u) {
      // the caller's string (a pass-through argument): nothing was sent, the connection is untouched
      return new VmException(ErrorCode.INVALID, u.getMessage(), new JsonObject().put("path", u.path()));
    }
    if (t instanceof QmpBacklogException) {
      return new VmException(ErrorCode.UNAVAILABLE, t.getMessage());
    }
    if (t instanceof QmpClosedException c) {
      String message = c.getMessage(); // "QMP connection closed: <reason>"
      return c.wasPending() ? new VmException(ErrorCode.UNAVAILABLE, message + UNKNOWN, effectUnknown())
          : new VmException(ErrorCode.UNAVAILABLE, message);
    }
    if (t instanceof QmpErrorException e) {
      return new VmException(ErrorCode.INTERNAL, e.desc(), new JsonObject().put("qmpClass", e.errorClass()));
    }
    return VmException.wrap(t);
  }

  @Override
  public void onEvent(Handler<QmpEvent> handler) {
    this.events = handler;
  }

  @Override
  public Future<Void> closed() {
    return client.closeFuture();
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }

  @Override
  public String qemuVersion() {
    var v = client.greeting().version();
    return v.major() + "." + v.minor() + "." + v.micro();
  }
}
