package io.vmsup.supervisor.image;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.VmSpec;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.supervisor.api.VmState;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One VM as its disk operations (snapshots, resize) see it; implemented by the VM's actor, whose context every call
 * runs on.
 */
public interface DiskHost {

  /** The VM's name. */
  String name();

  /** Vert.x, for workers and timers. */
  Vertx vertx();

  /** The VM's state now. */
  VmState state();

  /** The VM's current spec. */
  VmSpec spec();

  /** The VM's directory (its managed disks lie in {@code disks/}). */
  Path vmDir();

  /**
   * Runs a typed command of qmp-client ({@code QmpJobCommands}, {@code QmpBlockCommands}) on the VM's QEMU.
   *
   * @return the decoded result; fails CONFLICT without a QMP connection, UNAVAILABLE after {@code timeout},
   *     INTERNAL on a QMP error
   */
  <T> Future<T> qmp(QmpCommand<T> command, Duration timeout);

  /**
   * Records a grown disk's new size in the VM's spec (the {@code size} of a disk the daemon made; a disk over a host
   * file has none), persisted like a hot-plug's edit: the disk has grown already, so the daemon's spec says so at once
   * and a failed write is retried.
   */
  Future<Void> resized(String disk, long bytes);

  /**
   * Writes a new VM's records (spec, PCI layout, desired state STOPPED) in the state store: a linked clone's, written
   * by its source's actor while the source's disks are frozen. Fails as the state store's create (CONFLICT,
   * NOT_PERSISTED), with nothing written.
   */
  Future<Void> createRecords(String vm, String specJson, String layoutJson);

  /** Publishes one event of this VM (on {@code vmsup.events} and {@code vmsup.events.<vm>}). */
  void publish(JsonObject event);
}
