package io.vmsup.supervisor.image;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Op;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.image.impl.QemuImg;
import io.vmsup.supervisor.image.impl.Resize;
import io.vmsup.supervisor.image.impl.Snapshots;

/**
 * A VM's disk operations, run by its actor: snapshots ({@link Op#SNAPSHOT_CREATE}, {@link Op#SNAPSHOT_LIST},
 * {@link Op#SNAPSHOT_REVERT}, {@link Op#SNAPSHOT_DELETE}), {@link Op#DISK_RESIZE} and the copy of the disks for a
 * {@link Op#CLONE}. One at a time per VM; while one
 * runs, a start or a delete of the VM is refused (CONFLICT), so QEMU never opens a disk qemu-img is writing.
 */
public final class DiskOps {

  private final DiskHost host;
  private final Snapshots snapshots;
  private final Resize resize;
  private String busy;
  private String stuck;

  public DiskOps(DiskHost host) {
    this.host = host;
    QemuImg qemuImg = new QemuImg("qemu-img");
    this.snapshots = new Snapshots(host, qemuImg);
    this.resize = new Resize(host, qemuImg);
  }

  /** Whether {@code op} must wait: a start or delete (or another disk operation) while a disk operation runs. */
  public Future<Void> admit(Op op) {
    boolean blocks = op == Op.START || op == Op.DELETE || op == Op.REPLACE || handles(op);
    if (stuck != null && blocks) {
      return Future.failedFuture(new VmException(ErrorCode.CONFLICT, stuck));
    }
    return busy != null && blocks ? Future.failedFuture(new VmException(ErrorCode.CONFLICT, "a disk operation ("
        + busy + ") of this VM is in progress; try again when it is done")) : Future.succeededFuture();
  }

  /**
   * A delete of the VM; with {@code "keepDisks": true} its made disks ({@code disks/}) are first moved to
   * {@code <state>/kept/<vm>.<millis>/} (and back when the delete then fails), the reply naming them in
   * {@code keptDisks}.
   *
   * @param delete the actor's own delete
   */
  public Future<JsonObject> delete(JsonObject body, java.util.function.Supplier<Future<JsonObject>> delete) {
    Object keep = body.getValue("keepDisks");
    if (keep != null && !(keep instanceof Boolean)) {
      return Future.failedFuture(VmException.invalid("keepDisks must be true or false",
          new io.vertx.core.json.JsonArray().add(new JsonObject().put("path", "keepDisks")
              .put("message", "must be true or false"))));
    }
    boolean down = switch (host.state()) {
      case DEFINED, STOPPED, CRASHED, FAILED -> true;
      default -> false;
    };
    if (!Boolean.TRUE.equals(keep) || !down) {
      return delete.get();
    }
    busy = "delete --keep-disks";
    java.nio.file.Path disks = host.vmDir().resolve(io.vmsup.config.Disk.MANAGED_DIR);
    java.nio.file.Path kept = host.vmDir().getParent().resolveSibling("kept")
        .resolve(host.name() + "." + System.currentTimeMillis());
    return host.vertx().executeBlocking(() -> KeptDisks.move(disks, kept), true)
        .compose(moved -> delete.get()
            .map(view -> moved ? view.put("keptDisks", kept.toString()) : view)
            .recover(t -> host.vertx().executeBlocking(() -> moved && KeptDisks.move(kept, disks), true)
                .transform(ar -> Future.<JsonObject>failedFuture(t))))
        .onComplete(ar -> busy = null);
  }

  // the source of a clone: down while its disks are copied (a start waits: busy)
  private Future<JsonObject> copyFor(JsonObject body) {
    String as = Clones.as(body);
    switch (host.state()) {
      case DEFINED, STOPPED, CRASHED, FAILED -> {
      }
      default -> throw new VmException(ErrorCode.CONFLICT, "VM '" + host.name() + "' is " + host.state().json()
          + ": only a stopped VM can be cloned (its disks must not change while they are copied); stop it first");
    }
    if (Clones.linked(body)) {
      return Clones.linkedCopy(host.vertx(), host.name(), as, host.spec(),
          () -> host.createRecords(as, body.getString("spec"), body.getString("layout")),
          () -> stuck = "the linked clone '" + as + "' of VM '" + host.name() + "' could not be finished; its disks"
              + " are frozen half-way: restart the daemon, which finishes it, before starting the VM")
          .map(v -> new JsonObject().put("name", host.name()).put("as", as).put("linked", true));
    }
    return Clones.copy(host.vertx(), host.name(), as, host.spec())
        .map(v -> new JsonObject().put("name", host.name()).put("as", as));
  }

  /** Whether this answers {@code op}. */
  public static boolean handles(Op op) {
    return op == Op.SNAPSHOT_CREATE || op == Op.SNAPSHOT_LIST || op == Op.SNAPSHOT_REVERT
        || op == Op.SNAPSHOT_DELETE || op == Op.DISK_RESIZE || op == Op.CLONE;
  }

  /** Answers one of the ops {@link #handles}; fails as the {@code api.Addresses} entry of the op says. */
  public Future<JsonObject> handle(Op op, JsonObject body) {
    if (op == Op.SNAPSHOT_LIST) {
      return snapshots.list();
    }
    busy = op.verb();
    Future<JsonObject> f;
    try {
      f = switch (op) {
        case SNAPSHOT_CREATE -> snapshots.create(body);
        case SNAPSHOT_REVERT -> snapshots.revert(body);
        case SNAPSHOT_DELETE -> snapshots.delete(body);
        case DISK_RESIZE -> resize.resize(body);
        case CLONE -> copyFor(body);
        default -> Future.failedFuture(new VmException(ErrorCode.INVALID, op.verb() + " is no disk operation"));
      };
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.onComplete(ar -> busy = null);
  }
}
