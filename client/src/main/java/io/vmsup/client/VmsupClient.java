package io.vmsup.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vmsup.client.impl.VmsupClientImpl;
import java.time.Duration;
import java.util.List;

/**
 * A typed client of the vmsup daemon's event-bus API (docs/event-bus-api.md) for other services: one call per
 * address, each returning a {@link Future} of a record. It sends on the {@link Vertx} it is given, so it works the
 * same in the daemon's JVM and from any JVM joined to the daemons' clustered event bus.
 *
 * <p>Every request carries the token of the {@link ClientOptions} in the {@value ClientOptions#AUTHORIZATION} header;
 * the daemon checks it and applies its scope (the read-only token may only read). Every failed future carries a
 * {@link VmsupException} whose {@link VmsupException#code()} is the daemon's failure code: {@link ErrorCode#INVALID}
 * (with {@link VmsupException#violations()}), {@link ErrorCode#UNAUTHORIZED} (a token the daemon does not know),
 * {@link ErrorCode#FORBIDDEN} (the read-only token asked for a change, or the QMP policy refused),
 * {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#CONFLICT} (name taken, state does not allow), {@link
 * ErrorCode#UNAVAILABLE} (QEMU or the daemon did not answer within the timeout, or no daemon is there), {@link
 * ErrorCode#NOT_PERSISTED}, {@link ErrorCode#INTERNAL} (start failure, QMP error, or a reply the client cannot read).
 *
 * <p>The client holds no connection or state of its own: it is safe to use from any thread and needs no closing.
 */
public interface VmsupClient {

  /** A client sending on {@code vertx}'s event bus. */
  static VmsupClient create(Vertx vertx, ClientOptions options) {
    return new VmsupClientImpl(vertx, options);
  }

  /** The options in force. */
  ClientOptions options();

  /** The same client sending to {@code hostId}'s own addresses ({@code vmsup.host.<id>.vm.*}). */
  VmsupClient onHost(String hostId);

  /** Defines a VM from a spec (docs/vm-spec.md). Reply: the VM {@code DEFINED}. Fails INVALID, CONFLICT. */
  Future<VmView> create(JsonObject spec);

  /**
   * Defines a VM and starts it in one request (the {@code start} header of {@code vmsup.vm.create}: the VM's records
   * and its start's intent in one write); completes once the VM is RUNNING (or PAUSED). Fails as {@link #create} when
   * the VM was not created (nothing left behind, nothing spawned); when the VM was created and its start failed, fails
   * with the start's code and {@code details()} holding {@code "created": true}, the state, exit code and log tail, and
   * the VM's view under {@code "vm"}.
   */
  Future<VmView> createAndStart(JsonObject spec);

  /** One VM. Fails NOT_FOUND. */
  Future<VmView> get(String name);

  /** Every VM (of every host, on a cluster), sorted by name. */
  Future<List<VmView>> list();

  /** Starts QEMU; completes once the VM is RUNNING (or PAUSED). Fails NOT_FOUND, CONFLICT, INTERNAL. */
  Future<VmView> start(String name);

  /** The stop ladder with the spec's grace; completes once STOPPED. Fails NOT_FOUND, CONFLICT. */
  Future<StopResult> stop(String name);

  /** The stop ladder with {@code grace} before QMP quit. Fails NOT_FOUND, CONFLICT, INVALID. */
  Future<StopResult> stop(String name, Duration grace);

  /** SIGKILL at once. */
  Future<StopResult> kill(String name);

  /** Pauses the guest's CPUs. Fails CONFLICT unless RUNNING or PAUSED, UNAVAILABLE. */
  Future<VmView> pause(String name);

  /** Resumes the guest's CPUs. */
  Future<VmView> resume(String name);

  /** System reset. */
  Future<VmView> reset(String name);

  /** Forgets a VM without a process, with its state directory. Fails NOT_FOUND, CONFLICT. */
  Future<Void> delete(String name);

  /**
   * Raw QMP pass-through. Fails INVALID (QEMU's CommandNotFound/GenericError, with {@code qmpClass}), FORBIDDEN (the
   * policy refused), CONFLICT (no QMP connection), UNAVAILABLE, INTERNAL.
   *
   * @param arguments the command's arguments, or null for none
   */
  Future<QmpReturn> qmp(String name, String execute, JsonObject arguments);

  /** Hot-plugs a device (a spec device, or {@code {"kind":"cpu"}}). Fails INVALID, CONFLICT, INTERNAL. */
  Future<DeviceChange> attach(String name, JsonObject device);

  /**
   * Unplugs a device, waiting up to {@code timeout} for the guest to release it (null: the daemon's 30 s). Fails
   * NOT_FOUND, INVALID, UNAVAILABLE (not released in time: {@code pending} in the details), INTERNAL.
   */
  Future<DeviceChange> detach(String name, String id, Duration timeout);

  /** The VM's exact QEMU argv. Fails NOT_FOUND. */
  Future<Argv> render(String name);

  /**
   * The last {@code lines} lines of the serial log (1-10000), only those after offset {@code after} when it is not
   * null. Fails NOT_FOUND, INVALID.
   */
  Future<ConsoleLines> consoleRead(String name, int lines, Long after);

  /** Writes {@code data} as is to the guest's first serial port; the number of bytes handed over. */
  Future<Integer> consoleWrite(String name, String data);

  /** Every event of every VM ({@code vmsup.events}). */
  EventStream<VmEvent> events();

  /** The events of one VM ({@code vmsup.events.<name>}). */
  EventStream<VmEvent> events(String name);

  /**
   * The serial console lines of one VM ({@code vmsup.console.<name>}). To miss nothing, wait for {@link
   * EventStream#registered()}, then {@link #consoleRead} and skip live lines whose offset is below its {@code next}.
   */
  EventStream<ConsoleLine> console(String name);
}
