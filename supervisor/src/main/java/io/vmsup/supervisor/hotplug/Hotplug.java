package io.vmsup.supervisor.hotplug;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.SupervisorOptions;
import io.vmsup.supervisor.hotplug.impl.HotplugImpl;
import java.time.Duration;

/**
 * Device hot-plug for one VM, driven by its actor ({@code vmsup.vm.attach} / {@code vmsup.vm.detach}). The device
 * JSON is the spec's own device format: the new spec (old spec plus or minus the device) is validated as a whole,
 * the QMP steps come from config-model's {@code QmpHotplug.plan} (the same options the command line renders), and
 * the VM's persisted spec follows the running VM so a restart brings the same devices back. Operations of one VM
 * run one at a time, in arrival order.
 *
 * <p>A CPU is requested as {@code {"kind": "cpu"}}: it is plugged from {@code query-hotpluggable-cpus}, named
 * {@code vmsup-cpu-S-C-T} (socket, core, thread) and recorded as {@code smp.cpus + 1}.
 */
public interface Hotplug {

  /** Default wait for {@code DEVICE_DELETED} after {@code device_del}. */
  Duration DEFAULT_DETACH_TIMEOUT = Duration.ofSeconds(30);

  static Hotplug create(Vertx vertx, HotplugHost host, SupervisorOptions options) {
    return new HotplugImpl(vertx, host, options);
  }

  /**
   * Attaches {@code body.device}. Live (RUNNING/PAUSED): runs the plan's steps, rolling back the applied ones when
   * a step fails; without a process: only the spec changes.
   *
   * @return {@code {"name","id","kind","live","steps":[command...]}}; fails INVALID (400, every violation of the
   *     resulting spec, the new device's paths as {@code device.*}), CONFLICT (409, STARTING/STOPPING), INTERNAL
   *     (500, the failing QMP step: {@code qmpClass}, {@code step}, {@code rolledBack}), UNAVAILABLE (503)
   */
  Future<JsonObject> attach(JsonObject body);

  /**
   * Detaches device {@code body.id}: {@code device_del}, then waits for {@code DEVICE_DELETED} up to {@code
   * body.timeoutSeconds} (default 30 s), then removes the backends; the spec follows.
   *
   * @return {@code {"name","id","kind","live","steps":[command...]}}; fails NOT_FOUND (no such device), INVALID
   *     (another device still refers to it), UNAVAILABLE (503, the guest did not release the device in time: it stays
   *     in the spec, {@code "pending": true}; a later detach retries), INTERNAL (a QMP error)
   */
  Future<JsonObject> detach(JsonObject body);

  /** Feeds every QMP event of the VM: {@code DEVICE_DELETED} completes detaches. */
  void onEvent(io.vmsup.qmp.QmpEvent event);
}
