package io.vmsup.supervisor.api;

import java.util.Locale;
import java.util.Optional;

/**
 * Every command of the VM API, once: its verb (the HTTP action segment, the CLI command, the actor's {@code op}
 * header), its event-bus address, and who answers it. HTTP routes, the registry, the VM actor and the CLI all use
 * this enum instead of their own names.
 */
public enum Op {
  /** Define a VM. Answered by the registry. */
  CREATE(Addresses.CREATE, Target.REGISTRY),
  /** One VM's view. Answered by the registry. */
  GET(Addresses.GET, Target.REGISTRY),
  /** Every VM's view. Answered by the registry. */
  LIST(Addresses.LIST, Target.REGISTRY),
  /** Forget a VM: the actor agrees (no process), then the registry undeploys it. */
  DELETE(Addresses.DELETE, Target.REGISTRY),
  /** Start QEMU. */
  START(Addresses.START, Target.ACTION),
  /** The stop ladder. */
  STOP(Addresses.STOP, Target.ACTION),
  /** SIGKILL. */
  KILL(Addresses.KILL, Target.ACTION),
  /** Pause the guest's CPUs. */
  PAUSE(Addresses.PAUSE, Target.ACTION),
  /** Resume the guest's CPUs. */
  RESUME(Addresses.RESUME, Target.ACTION),
  /** System reset. */
  RESET(Addresses.RESET, Target.ACTION),
  /** Raw QMP pass-through. */
  QMP(Addresses.QMP, Target.ACTOR),
  /** Hot-plug a device or a vCPU. */
  ATTACH(Addresses.ATTACH, Target.ACTOR),
  /** Unplug a device or a vCPU. */
  DETACH(Addresses.DETACH, Target.ACTOR),
  /** The exact QEMU argv. */
  RENDER(Addresses.RENDER, Target.ACTOR),
  /** A read-only QMP query for the daemon's own readers (metrics). */
  QUERY(Addresses.QUERY, Target.ACTOR),
  /** Copy a file into the image store. Answered by the image store. */
  IMAGE_IMPORT(Addresses.IMAGE_IMPORT, Target.IMAGES),
  /** Every image. */
  IMAGE_LIST(Addresses.IMAGE_LIST, Target.IMAGES),
  /** One image with its qemu-img info and users. */
  IMAGE_GET(Addresses.IMAGE_GET, Target.IMAGES),
  /** Remove an image no VM uses. */
  IMAGE_DELETE(Addresses.IMAGE_DELETE, Target.IMAGES),
  /** Internal: make (or discard) a new VM's disks from images. */
  IMAGE_DISKS(Addresses.IMAGE_DISKS, Target.IMAGES),
  /** The last lines of the VM's logs, read by its actor (HTTP {@code GET /v1/vms/{name}/log}). */
  LOG(Addresses.LOG_READ, Target.ACTOR),
  /** Create a managed network. Answered by the network verticle. */
  NETWORK_CREATE(Addresses.NETWORK_CREATE, Target.NETWORK),
  /** Every network's view. Answered by the network verticle. */
  NETWORK_LIST(Addresses.NETWORK_LIST, Target.NETWORK),
  /** One network's view. Answered by the network verticle. */
  NETWORK_GET(Addresses.NETWORK_GET, Target.NETWORK),
  /** Remove a network that no VM uses. Answered by the network verticle. */
  NETWORK_DELETE(Addresses.NETWORK_DELETE, Target.NETWORK),
  /** Snapshot the VM's disks (and memory while it runs). */
  SNAPSHOT_CREATE(Addresses.SNAPSHOT_CREATE, Target.ACTOR),
  /** The VM's snapshots. */
  SNAPSHOT_LIST(Addresses.SNAPSHOT_LIST, Target.ACTOR),
  /** Back to a snapshot. */
  SNAPSHOT_REVERT(Addresses.SNAPSHOT_REVERT, Target.ACTOR),
  /** Remove a snapshot. */
  SNAPSHOT_DELETE(Addresses.SNAPSHOT_DELETE, Target.ACTOR),
  /** Grow a disk. */
  DISK_RESIZE(Addresses.DISK_RESIZE, Target.ACTOR),
  /** Every member of the fleet. Answered by the fleet router ({@code --cluster} only). */
  HOSTS_LIST(Addresses.HOSTS_LIST, Target.FLEET),
  /** Place no new VM on a host. Answered by the fleet router. */
  HOST_CORDON(Addresses.HOST_CORDON, Target.FLEET),
  /** Place new VMs on a host again. Answered by the fleet router. */
  HOST_UNCORDON(Addresses.HOST_UNCORDON, Target.FLEET),
  /** A new VM from a stopped one, its disks copied. Answered by the registry with the source's actor. */
  CLONE(Addresses.CLONE, Target.REGISTRY),
  /** Replace the spec of a VM without a process, if its spec version matches. */
  REPLACE(Addresses.REPLACE, Target.ACTOR);

  /** Who answers an op. */
  public enum Target {
    /** The registry itself. */
    REGISTRY,
    /** The VM's actor, reached through the registry; not a lifecycle action. */
    ACTOR,
    /** The VM's actor; a lifecycle action, {@code POST /v1/vms/{name}/VERB} over HTTP. */
    ACTION,
    /** The image store ({@code image.ImageVerticle}), not a VM. */
    IMAGES,
    /** The network verticle ({@code /v1/networks} over HTTP). */
    NETWORK,
    /** The fleet router of a clustered daemon ({@code /v1/hosts} over HTTP), not a VM. */
    FLEET
  }

  private final String address;
  private final Target target;

  Op(String address, Target target) {
    this.address = address;
    this.target = target;
  }

  /** The event-bus address. */
  public String address() {
    return address;
  }

  /** Who answers it. */
  public Target target() {
    return target;
  }

  /** Whether the registry passes it straight on to the VM's actor. */
  public boolean forwarded() {
    return target == Target.ACTOR || target == Target.ACTION;
  }

  /** Whether it is a lifecycle action ({@code POST /v1/vms/{name}/VERB}, {@code vmsup vm VERB NAME}). */
  public boolean action() {
    return target == Target.ACTION;
  }

  /** The verb: {@code start}, {@code attach}, ... */
  public String verb() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The op of a verb, if any. */
  public static Optional<Op> ofVerb(String verb) {
    for (Op op : values()) {
      if (op.verb().equals(verb)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }

  /** The lifecycle action of a verb, if the verb is one. */
  public static Optional<Op> action(String verb) {
    return ofVerb(verb).filter(Op::action);
  }
}
