package io.vmsup.supervisor.link;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpEvent;
import io.vmsup.qmp.QmpFd;
import java.time.Duration;

/**
 * The QMP connection of one VM as the supervisor uses it. Implementations map every client failure to a {@link
 * io.vmsup.supervisor.api.VmException}: timeout → UNAVAILABLE, closed → UNAVAILABLE, QMP error → INTERNAL with
 * {@code "qmpClass"}. Confined to the context it was connected on.
 */
public interface QmpLink {

  /**
   * Runs a typed command of qmp-client ({@code QmpCommands} and its siblings; a hot-plug plan's steps through
   * {@code launch/QmpSteps}; a user's pass-through command as {@code QmpCommand.raw}); the future carries its
   * decoded result.
   */
  <T> Future<T> execute(QmpCommand<T> command, Duration timeout);

  /**
   * Passes a descriptor to QEMU with SCM_RIGHTS and names it ({@code getfd}), for the daemon's hand-over
   * ({@code launch/HandOver}); the caller keeps its own copy. Failures map as for {@link #execute}.
   */
  Future<Void> passFd(String name, QmpFd fd);

  /** Receives every QMP event, typed as qmp-client decoded it. */
  void onEvent(Handler<QmpEvent> handler);

  /** Succeeds when the connection closed, for any reason. */
  Future<Void> closed();

  /** Closes the connection; QEMU keeps running. */
  Future<Void> close();

  /** QEMU's version from the greeting ({@code "7.2.22"}), or null. */
  String qemuVersion();
}
