package io.vmsup.supervisor.hotplug;

import io.vertx.core.Future;
import io.vmsup.config.EditableSpec;
import io.vmsup.config.PciLayout;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpFd;
import io.vmsup.supervisor.api.VmState;
import io.vmsup.supervisor.launch.HandOver;
import io.vmsup.supervisor.spec.VmDefinition;
import java.util.Optional;

/**
 * The VM a {@link Hotplug} works on, as its actor exposes it. Every method is called on the actor's context. It is
 * also the QMP connection a NIC's descriptor hand-over uses ({@link HandOver.Qmp}).
 */
public interface HotplugHost extends HandOver.Qmp {

  /** The VM's name. */
  String name();

  /** The VM's current spec, typed and as its JSON text, for config-model's edits. */
  EditableSpec spec();

  /** The VM's lifecycle state: RUNNING/PAUSED plug live, states without a process only edit the spec. */
  VmState state();

  /**
   * Passes a descriptor to QEMU under {@code name} ({@code getfd} with SCM_RIGHTS), for a NIC the daemon opens.
   *
   * @return fails as {@link #execute}
   */
  @Override
  Future<Void> passFd(String name, QmpFd fd);

  /**
   * Runs one typed command of qmp-client on the VM's connection within the command timeout (a plan's step through
   * {@link io.vmsup.supervisor.launch.QmpSteps}); host files the command names are granted to a confined QEMU first.
   *
   * @return the decoded result; fails with a {@link io.vmsup.supervisor.api.VmException}: INTERNAL with
   *     {@code "qmpClass"} for a QMP error, UNAVAILABLE on a timeout or a closed connection, CONFLICT without QMP
   */
  @Override
  <T> Future<T> execute(QmpCommand<T> command);

  /** The VM's PCI layout (daemon-owned, beside the spec); empty while not recorded (a VM from before layouts). */
  Optional<PciLayout> layout();

  /**
   * Before a live plug: makes what the daemon provides for {@code device} (the tap of a NIC on a managed network;
   * {@code path} names the device in errors). Fails INVALID for an unknown network.
   */
  default Future<Void> plugging(io.vmsup.config.Device device, String path) {
    return Future.succeededFuture();
  }

  /**
   * Before an attach, live or into the spec only: makes the disk the daemon makes for a device ({@code "image"} or
   * {@code "size"}: its overlay or empty disk in the VM's directory) and answers the device as QEMU opens it; other
   * devices unchanged. Fails INVALID at {@code at.image}/{@code at.size}, NOT_PERSISTED; then nothing is made.
   */
  default Future<io.vmsup.config.Device> making(io.vmsup.config.Device device, String at) {
    return Future.succeededFuture(device);
  }

  /** After a device left the VM's spec (detached) or its attach failed: removes what {@link #making} made. */
  default Future<Void> unmade(io.vmsup.config.Device device) {
    return Future.succeededFuture();
  }

  /** After a device left QEMU (unplugged, or its plug rolled back): removes what {@link #plugging} made. */
  default Future<Void> unplugged(io.vmsup.config.Device device) {
    return Future.succeededFuture();
  }

  /** The MACs the host's other VMs use (lower case): a hot-plugged NIC's assigned MAC avoids them. */
  default java.util.Set<String> macsInUse() {
    return java.util.Set.of();
  }

  /**
   * Writes the new spec durably through the VM's record in the {@code StateStore} ({@code spec.json} atomically, its
   * layout first as {@code pci.json}) and makes it the VM's definition.
   */
  Future<Void> commit(VmDefinition definition);
}
