package io.vmsup.supervisor.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.VmException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * One VM's stored record (spec, desired state, runtime record) kept in step with what its actor knows. The actor
 * changes a value here first, then the write goes to disk; when a write fails (full disk, I/O error, the directory
 * removed) the value stays (it is the truth), the failure is NOT_PERSISTED, and the whole record is written again
 * on a timer and at the next write until the disk takes it (re-creating the VM's directory if it was removed).
 * Confined to the actor's context; the I/O runs ordered on a worker.
 */
public final class RecordKeeper {

  /** How often a record that is behind is written again. */
  public static final Duration RETRY = Duration.ofSeconds(5);

  private static final String WHOLE = "spec.json, pci.json, desired and runtime.json (the whole record, rewritten"
      + " since an earlier write failed)";

  private final Vertx vertx;
  private final StateStore store;
  private final String name;
  private final Duration retry;
  private final Consumer<JsonObject> events;
  private String spec;
  /** The PCI layout ({@code pci.json}), null while none is recorded. */
  private String layout;
  private Desired desired;
  private RuntimeRecord runtime;
  private JsonObject behind;
  private long timer = -1;
  private boolean closed;

  /**
   * @param events receives {@code {"type":"persistence","vm","inStep",...}} when the record falls behind the truth
   *               and when it is back in step
   */
  public RecordKeeper(Vertx vertx, StateStore store, String name, String spec, Desired desired,
      RuntimeRecord runtime, Duration retry, Consumer<JsonObject> events) {
    this(vertx, store, name, spec, null, desired, runtime, retry, events);
  }

  /** As above, with the VM's PCI layout text ({@code pci.json}; null while none is recorded). */
  public RecordKeeper(Vertx vertx, StateStore store, String name, String spec, String layout, Desired desired,
      RuntimeRecord runtime, Duration retry, Consumer<JsonObject> events) {
    this.vertx = vertx;
    this.store = store;
    this.name = name;
    this.spec = spec;
    this.layout = layout;
    this.desired = desired;
    this.runtime = runtime;
    this.retry = retry;
    this.events = events;
  }

  public Desired desired() {
    return desired;
  }

  /** True when everything the daemon knows of this VM is on disk. */
  public boolean inStep() {
    return behind == null;
  }

  /** What is not on disk yet ({@code unwritten}, {@code path}, {@code cause}, {@code retryingEverySeconds}), or {}. */
  public JsonObject status() {
    return behind == null ? new JsonObject() : behind.copy();
  }

  /** Sets the desired state; a failed write is retried (the operator's word stands: the VM acts on it anyway). */
  public Future<Void> desired(Desired d) {
    desired = d;
    return write("desired", () -> store.writeDesired(name, d));
  }

  /**
   * Sets the desired state only if it reaches the disk: on failure it goes back to what it was and the caller must
   * not act on it (a start whose {@code RUNNING} is not stored could be dropped by the next daemon).
   */
  public Future<Void> requireDesired(Desired d) {
    Desired old = desired;
    desired = d;
    return write("desired", () -> store.writeDesired(name, d)).onFailure(t -> {
      if (desired == d) {
        desired = old;
      }
    });
  }

  /**
   * A start's records before its spawn, in one write: the desired state (as {@link #requireDesired}: on failure it
   * goes back to what it was) and the intent. On failure the caller must not spawn.
   */
  public Future<Void> start(Desired d, RuntimeRecord intent) {
    Desired old = desired;
    desired = d;
    runtime = intent;
    return write("desired and runtime.json (the start's intent)", () -> store.writeStart(name, d, intent))
        .onFailure(t -> {
          if (desired == d) {
            desired = old;
          }
        });
  }

  /** Records a running QEMU (a failed write is NOT_PERSISTED: the caller decides whether QEMU may keep running). */
  public Future<Void> runtime(RuntimeRecord r) {
    runtime = r;
    return write("runtime.json", () -> store.writeRuntime(name, r));
  }

  /** No QEMU runs any more. */
  public Future<Void> clearRuntime() {
    runtime = null;
    return write("runtime.json (its removal)", () -> store.clearRuntime(name));
  }

  /**
   * A new spec (a hot-plug's result).
   *
   * @param require true when nothing happened yet besides this edit: on failure the spec goes back to what it was;
   *                false when the change is live in QEMU already: the new spec stays (it is the truth) and is retried
   */
  public Future<Void> spec(String json, boolean require) {
    return spec(json, layout, require);
  }

  /**
   * A new spec and PCI layout (a hot-plug's result): the layout is written first, so that after a crash between
   * the two writes it may hold an address for a device the spec lacks (harmless: the same id gets the same address),
   * never the reverse (a device whose address would be lost).
   *
   * @param pci the layout's text, null to leave none
   */
  public Future<Void> spec(String json, String pci, boolean require) {
    String old = spec;
    String oldLayout = layout;
    spec = json;
    layout = pci;
    return write(pci == null ? "spec.json" : "pci.json and spec.json", () -> vertx.<Void>executeBlocking(() -> {
      if (pci != null) {
        store.writeLayoutBlocking(name, pci);
      }
      store.writeSpecBlocking(name, json);
      return null;
    })).onFailure(t -> {
      if (require && json.equals(spec)) {
        spec = old;
        layout = oldLayout;
      }
    });
  }

  /** A PCI layout recorded or completed at start (it is the truth: a failed write is retried). */
  public Future<Void> layout(String pci) {
    layout = pci;
    return write("pci.json", () -> store.writeLayout(name, pci));
  }

  /** Stops writing (the VM is being deleted or the actor leaves); a pending retry is dropped. */
  public void close() {
    closed = true;
    cancelTimer();
  }

  /**
   * The actor leaves (the daemon stops): one last try to write a record that is behind, then {@link #close()}. A
   * keeper closed already (its VM deleted) writes nothing. Never fails.
   */
  public Future<Void> closeAfterLastTry() {
    if (closed || behind == null) {
      close();
      return Future.succeededFuture();
    }
    close();
    return syncAll().otherwise(t -> null);
  }

  /** Opens again after a {@link #close()} whose delete failed. */
  public void reopen() {
    closed = false;
    if (behind != null) {
      arm();
    }
  }

  private Future<Void> write(String what, java.util.function.Supplier<Future<Void>> one) {
    if (closed) {
      return Future.succeededFuture();
    }
    // behind: this write carries the whole record, so one success brings everything back in step
    boolean whole = behind != null;
    Future<Void> io = whole ? syncAll() : one.get();
    return io.recover(t -> Future.failedFuture(fellBehind(whole ? WHOLE : what, t)));
  }

  private Future<Void> syncAll() {
    String s = spec;
    String l = layout;
    Desired d = desired;
    RuntimeRecord r = runtime;
    return vertx.<Void>executeBlocking(() -> {
      store.writeRecordBlocking(name, s, d, r);
      if (l != null) {
        store.writeLayoutBlocking(name, l);
      }
      return null;
    }).onSuccess(v -> caughtUp());
  }

  private VmException fellBehind(String what, Throwable t) {
    VmException e = WriteFailures.of(null, what, store.vmDir(name), t,
        new JsonObject().put("retryingEverySeconds", retry.toSeconds()));
    boolean news = behind == null;
    behind = e.details();
    if (news) {
      events.accept(event(false).mergeIn(behind));
    }
    arm();
    return e;
  }

  private void caughtUp() {
    if (behind != null) {
      behind = null;
      cancelTimer();
      events.accept(event(true));
    }
  }

  private JsonObject event(boolean inStep) {
    return new JsonObject().put("type", "persistence").put("vm", name).put("inStep", inStep)
        .put("timestamp", Instant.now().toString());
  }

  private void arm() {
    if (closed || timer >= 0) {
      return;
    }
    timer = vertx.setTimer(Math.max(1, retry.toMillis()), id -> {
      timer = -1;
      if (closed || behind == null) {
        return;
      }
      syncAll().onFailure(t -> {
        behind = WriteFailures.of(null, WHOLE, store.vmDir(name), t,
            new JsonObject().put("retryingEverySeconds", retry.toSeconds())).details();
        arm();
      });
    });
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
