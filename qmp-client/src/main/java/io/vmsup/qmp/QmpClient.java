package io.vmsup.qmp;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.impl.QmpClientImpl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * An asynchronous client of one QEMU Machine Protocol monitor on a unix domain socket.
 *
 * <p>A client is confined to the Vert.x context {@link #connect} was called on: its futures complete there and
 * its observer runs there. Methods may be called from any thread; calls from elsewhere hop onto that context,
 * in order. Commands are pipelined (written at once, each with a numeric id) and every command has a timeout
 * that never holds back the commands behind it. When the connection closes for any reason, every pending
 * command fails with {@link QmpClosedException} and {@link #closeFuture()} succeeds.
 *
 * <p>Use a {@link Vertx} built with {@code new VertxOptions().setPreferNativeTransport(true)}: file-descriptor
 * passing needs the epoll transport ({@link #transport()}).
 */
public interface QmpClient {

  /**
   * Connects to the monitor at {@code socket}, waits for the greeting (skipping events sent before it) and
   * negotiates capabilities ({@code oob} is enabled when the server offers it).
   *
   * @return a future of a client in state {@link QmpState#RUNNING}; failed with {@link QmpConnectException}
   *     whose {@link QmpConnectException#kind() kind} is {@code NO_SOCKET}, {@code REFUSED}, {@code TIMEOUT},
   *     {@code NO_GREETING}, {@code PROTOCOL} or {@code WRONG_PEER} (the socket is served by another process than
   *     {@link QmpOptions#peerCheck()} expects; nothing was read from it)
   */
  static Future<QmpClient> connect(Vertx vertx, Path socket, QmpOptions options) {
    return QmpClientImpl.connect(vertx, socket, options);
  }

  /**
   * Loads the classes a first connection needs (Vert.x's net client, Netty's epoll channel, this client's codec), so
   * that many first connects at once do not load them on the event loops. Blocking: call on a worker, once, before
   * the connects (a daemon re-adopting its QEMUs at start). Never fails; a class that does not exist is skipped.
   *
   * @return how many of the listed classes were found
   */
  static int preloadClasses() {
    return io.vmsup.qmp.impl.ConnectClasses.preload();
  }

  /** The server's greeting (QEMU version and offered capabilities). */
  QmpGreeting greeting();

  /** The Netty transport of the socket: {@code "epoll"} or {@code "nio"}. */
  String transport();

  /**
   * The credentials of the process serving the socket ({@code SO_PEERCRED}), read once at connect and checked
   * against {@link QmpOptions#peerCheck()}; null when the transport cannot read them (NIO).
   */
  QmpPeer peer();

  /**
   * The current state; {@link QmpState#RUNNING} until the connection closes. Read off the connection's context
   * this is a snapshot that may lag.
   */
  QmpState state();

  /**
   * Sends a typed command with the default timeout ({@link QmpOptions#commandTimeout()}).
   *
   * @return the decoded result; failed with {@link QmpErrorException} (the server's error, class kept),
   *     {@link QmpTimeoutException}, {@link QmpBacklogException} (QEMU stopped reading),
   *     {@link QmpUnsendableException} (a string QEMU's parser refuses; nothing sent),
   *     {@link QmpClosedException} or {@link QmpProtocolException} (the result
   *     did not decode)
   */
  <T> Future<T> execute(QmpCommand<T> command);

  /** Like {@link #execute(QmpCommand)} with its own timeout. */
  <T> Future<T> execute(QmpCommand<T> command, Duration timeout);

  /**
   * Sends a command by name (passthrough).
   *
   * @param arguments the {@code arguments} member, or {@code null}
   * @return the raw {@code return} value ({@link JsonObject}, {@link io.vertx.core.json.JsonArray}, string,
   *     number, boolean); fails as {@link #execute(QmpCommand)}
   */
  Future<Object> execute(String name, JsonObject arguments);

  /** Like {@link #execute(String, JsonObject)} with its own timeout. */
  Future<Object> execute(String name, JsonObject arguments, Duration timeout);

  /**
   * Sends {@code fd} with SCM_RIGHTS, then {@code command} (for example {@link QmpCommands#getfd} or
   * {@link QmpFdCommands#addFd}). Only one fd-bearing command is on the wire at a time (QEMU keeps only the
   * latest received descriptor); others queue behind it. The caller keeps its copy of the descriptor.
   *
   * @return as {@link #execute(QmpCommand)}; also {@link QmpProtocolException} when the transport is not
   *     epoll (NIO cannot pass descriptors)
   */
  <T> Future<T> executeWithFd(QmpCommand<T> command, QmpFd fd);

  /**
   * Subscribes to events on the caller's context (the connection's context when called from a non-Vert.x
   * thread). Events reach the handler in order. On the connection's own context the handler runs inline, in wire
   * order with command replies, and must not block. On any other context it runs through a bounded queue: if it
   * falls {@link QmpOptions#eventBufferSize()} events behind, newer events are dropped for it and counted in
   * {@link QmpSubscription#dropped()}.
   *
   * @param eventNameOrNull an event name such as {@code STOP}, or {@code null} for all events
   */
  QmpSubscription subscribe(String eventNameOrNull, Handler<QmpEvent> handler);

  /**
   * Like {@link #subscribe(String, Handler)}, delivering on {@code context} (for example a worker context, so
   * a slow handler may block without touching the connection).
   */
  QmpSubscription subscribe(String eventNameOrNull, Context context, Handler<QmpEvent> handler);

  /**
   * Waits for the next event named {@code name} that satisfies {@code predicate}. The wait is registered when
   * this method is called, so an event caused by a command sent right after cannot be missed.
   *
   * @param predicate runs on the connection's context; {@code null} accepts any event of that name
   * @return the event; failed with {@link QmpTimeoutException} (command {@code event NAME}) or
   *     {@link QmpClosedException}
   */
  Future<QmpEvent> awaitEvent(String name, Predicate<QmpEvent> predicate, Duration timeout);

  /** Succeeds when the connection has closed, for any reason (peer death included); never fails. */
  Future<Void> closeFuture();

  /** Whether the connection is {@link QmpState#RUNNING}. */
  boolean isOpen();

  /**
   * Closes the connection; pending commands fail with {@link QmpClosedException}.
   *
   * @return {@link #closeFuture()}
   */
  Future<Void> close();
}
