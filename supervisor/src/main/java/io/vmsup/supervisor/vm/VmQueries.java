package io.vmsup.supervisor.vm;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A VM actor's door for the daemon's own readers (the metrics collector): read-only typed QMP queries
 * ({@code query-*}) on the VM's own connection, run on the actor's context like every other request of the VM. The
 * actor puts it in the table ({@link VmTable#queries(String)}) once it answers and takes it out when it retires; a
 * metric sample then costs one task on the actor's context instead of a bus request through the registry's thread
 * and on to the actor (four thread crossings, a timer and two JSON copies each way). Nothing of the actor's state is
 * read or written outside its context. Callable from any thread.
 */
public final class VmQueries {

  private final VmCore vm;
  private boolean retired; // on the actor's context

  VmQueries(VmCore vm) {
    this.vm = vm;
  }

  /**
   * Runs {@code commands} on the VM's connection at once, each within {@code timeout} (at most the daemon's command
   * timeout).
   *
   * @return one result per command, in order, completed on the actor's context: the command's decoded result or its
   *     failure (QMP's error, a timeout, no connection, a command that is not a {@code query-*}, a retired actor:
   *     NOT_FOUND); the future itself does not fail
   */
  public Future<List<AsyncResult<?>>> run(List<QmpCommand<?>> commands, Duration timeout) {
    Promise<List<AsyncResult<?>>> answer = Promise.promise();
    vm.context().runOnContext(v -> {
      List<Future<?>> each = new ArrayList<>(commands.size());
      Duration limit = vm.options().commandTimeout();
      Duration within = timeout.isNegative() || timeout.isZero() || timeout.compareTo(limit) > 0 ? limit : timeout;
      for (QmpCommand<?> c : commands) {
        each.add(retired ? Future.failedFuture(new VmException(ErrorCode.NOT_FOUND, "no VM named '" + vm.name()
            + "'")) : !c.name().startsWith("query-") ? Future.failedFuture(new VmException(ErrorCode.INVALID,
            "'" + c.name() + "' is not a query-* command")) : vm.qmp(c, within));
      }
      Future.join(each).onComplete(ar -> answer.complete(List.<AsyncResult<?>>copyOf(each)));
    });
    return answer.future();
  }

  /** The actor retired (its VM deleted or the daemon stopping): queries asked from now on are NOT_FOUND. */
  void retire() {
    retired = true;
  }
}
