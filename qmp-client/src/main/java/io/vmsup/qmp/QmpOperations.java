package io.vmsup.qmp;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Operations that take more than one command or complete through an event. Each returns a future that fails
 * with the exceptions of {@link QmpClient#execute(QmpCommand)}, plus those named per method.
 */
public final class QmpOperations {

  private QmpOperations() {
  }

  /**
   * {@code device_del}, completing when {@code DEVICE_DELETED} names the device (by {@code device} id or QOM
   * {@code path}). The wait is registered before the command is sent, so a quick event is never missed.
   *
   * @param idOrPath the device id, or its QOM path
   * @return fails with {@link QmpTimeoutException} (command {@code event DEVICE_DELETED}) when the guest does
   *     not release the device within {@code timeout}
   */
  public static Future<Void> deviceDel(QmpClient client, String idOrPath, Duration timeout) {
    Future<QmpEvent> deleted = client.awaitEvent("DEVICE_DELETED", e ->
        idOrPath.equals(e.data().getString("device")) || idOrPath.equals(e.data().getString("path")), timeout);
    return client.execute(QmpDeviceCommands.deviceDel(idOrPath)).compose(v -> deleted).mapEmpty();
  }

  /**
   * Memory hotplug: a {@code memory-backend-ram} named {@code id + "-mem"}, then a {@code pc-dimm} named
   * {@code id}. When the DIMM cannot be added, the backend is deleted again and the DIMM's error is reported.
   * Needs {@code -m SIZE,slots=N,maxmem=MAX}.
   */
  public static Future<Void> addMemory(QmpClient client, String id, long sizeBytes) {
    String backend = id + "-mem";
    return withRollback(client, client.execute(QmpDeviceCommands.memoryBackendRam(backend, sizeBytes)),
        () -> client.execute(QmpDeviceCommands.pcDimmAdd(id, backend)), backend);
  }

  /**
   * NVDIMM hotplug: a shared {@code memory-backend-file} at {@code hostPath} named {@code id + "-mem"}, then
   * an {@code nvdimm} named {@code id}; rolled back like {@link #addMemory}. Needs {@code -machine ...,nvdimm=on}
   * and memory slots.
   */
  public static Future<Void> addNvdimm(QmpClient client, String id, String hostPath, long sizeBytes) {
    String backend = id + "-mem";
    return withRollback(client,
        client.execute(QmpDeviceCommands.memoryBackendFile(backend, hostPath, sizeBytes, true)),
        () -> client.execute(QmpDeviceCommands.nvdimmAdd(id, backend)), backend);
  }

  /**
   * CPU hotplug into the first free slot of {@code query-hotpluggable-cpus}.
   *
   * @return the slot used; fails with {@link IllegalStateException} when no slot is free
   */
  public static Future<HotpluggableCpu> addCpu(QmpClient client, String id) {
    return client.execute(QmpDeviceCommands.queryHotpluggableCpus()).compose(slots -> {
      for (HotpluggableCpu slot : slots) {
        if (slot.isFree()) {
          return client.execute(QmpDeviceCommands.cpuAdd(slot, id)).map(slot);
        }
      }
      return Future.failedFuture(new IllegalStateException("no free CPU slot (start QEMU with -smp N,maxcpus=M)"));
    });
  }

  /** Sends {@code fd} and binds it to {@code fdname} ({@code getfd}). */
  public static Future<Void> getfd(QmpClient client, String fdname, QmpFd fd) {
    return client.executeWithFd(QmpFdCommands.getfd(fdname), fd);
  }

  /** Sends {@code fd} into an fd set ({@code add-fd}); {@code fdsetId} {@code null} makes a new set. */
  public static Future<AddFdInfo> addFd(QmpClient client, QmpFd fd, Integer fdsetId) {
    return client.executeWithFd(QmpFdCommands.addFd(fdsetId, null), fd);
  }

  private static Future<Void> withRollback(QmpClient client, Future<Void> backend,
                                           java.util.function.Supplier<Future<Void>> device, String backendId) {
    return backend.compose(v -> device.get().recover(failure ->
        client.execute(QmpCommands.objectDel(backendId))
            .transform(ignored -> Future.<Void>failedFuture(failure))));
  }
}
