package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.policy.QmpPolicy;
import io.vmsup.supervisor.policy.Verdict;
import io.vmsup.supervisor.store.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The raw QMP pass-through of one VM: the policy judges the command (on a worker only when it names a host path);
 * a refused command fails FORBIDDEN and never reaches QEMU; an allowed-but-dangerous one first marks the VM tainted
 * — persisted in {@code taint.json} (fsync'd) before QEMU sees the command, so a crash in between can only
 * over-report — then runs.
 */
final class QmpPassthrough {

  static final String FILE = "taint.json";

  private final VmCore vm;
  // made at the first pass-through command, not per VM: its path roots are a dozen paths most VMs never need
  private QmpPolicy policy;

  QmpPassthrough(VmCore vm) {
    this.vm = vm;
  }

  /** Reads the persisted taint of the VM (daemon start). */
  Future<Void> load() {
    Path file = file();
    return vm.vertx().<JsonArray>executeBlocking(() -> Files.exists(file)
        ? new JsonArray(Files.readString(file, StandardCharsets.UTF_8)) : new JsonArray(), false)
        .map(taint -> {
          vm.snapshot().tainted(taint);
          return (Void) null;
        })
        .recover(t -> {
          // unreadable: say tainted rather than clean (a reply always tells the truth)
          vm.snapshot().tainted(new JsonArray().add(new JsonObject()
              .put("reason", "taint record unreadable: " + t.getMessage())));
          return Future.succeededFuture();
        });
  }

  private static final Set<String> CALLER_CLASSES = Set.of("CommandNotFound", "GenericError",
      "DeviceNotFound", "DeviceNotActive");

  /** Judges {@code command}, then runs it on the VM's QMP connection within the command timeout. */
  Future<Object> execute(QmpCommand<Object> command) {
    String name = command.name();
    JsonObject args = command.arguments() == null ? new JsonObject() : command.arguments();
    QmpPolicy policy = policy();
    // most commands name no host path: judged here, on the VM's context, with no hop to a worker and back
    Verdict quick = policy.judgeWithoutFiles(name, args).orElse(null);
    Future<Verdict> verdict = quick != null ? Future.succeededFuture(quick)
        : vm.vertx().executeBlocking(() -> policy.judge(name, args), false);
    return verdict.compose(v -> switch (v.kind()) {
      case ALLOW -> callersError(run(command));
      case DENY -> Future.failedFuture(new VmException(ErrorCode.FORBIDDEN, "QMP command '" + name + "' is refused"
          + " by the pass-through policy (qmpPassthrough: restricted): " + v.reason(),
          new JsonObject().put("command", name).put("reason", v.reason())));
      case TAINT -> taint(name, v).compose(x -> callersError(run(command)));
    });
  }

  private QmpPolicy policy() {
    if (policy == null) {
      policy = QmpPolicy.create(vm.options().qmpPassthrough(), vm.options().pathRoots());
    }
    return policy;
  }

  private Future<Object> run(QmpCommand<Object> command) {
    return vm.qmp(command, vm.options().commandTimeout());
  }

  // qmp-spec: CommandNotFound, GenericError, DeviceNotFound, DeviceNotActive answer what the caller sent (an unknown
  // command, bad arguments, a device or object id that does not exist):
  // through the pass-through that is the caller's error (400), not the daemon's
  private static Future<Object> callersError(Future<Object> reply) {
    return reply.recover(t -> {
      if (t instanceof VmException e && e.code() == ErrorCode.INTERNAL && e.details() != null
          && CALLER_CLASSES.contains(e.details().getString("qmpClass"))) {
        return Future.failedFuture(new VmException(ErrorCode.INVALID, e.getMessage(), e.details()));
      }
      return Future.failedFuture(t);
    });
  }

  /** Marks the VM at once (on its context, so concurrent commands accumulate), then persists the whole record. */
  private Future<Void> taint(String name, Verdict v) {
    JsonArray all = vm.snapshot().taint().copy().add(new JsonObject().put("at", vm.now().toString()).put("command", name)
        .put("reason", v.reason()));
    vm.snapshot().tainted(all);
    byte[] bytes = all.encodePrettily().getBytes(StandardCharsets.UTF_8);
    Path file = file();
    // ordered on this context: a later, longer record is never overwritten by an earlier one
    return vm.vertx().<Void>executeBlocking(() -> {
      AtomicFiles.write(file, bytes);
      return null;
    }).map(x -> {
      vm.events().tainted(name, v.reason());
      return (Void) null;
    }).recover(t -> Future.failedFuture(new VmException(ErrorCode.INTERNAL, "QMP command '" + name + "' not sent:"
        + " the VM's taint could not be recorded: " + t.getMessage())));
  }

  private Path file() {
    return vm.deps().store().vmDir(vm.name()).resolve(FILE);
  }
}
