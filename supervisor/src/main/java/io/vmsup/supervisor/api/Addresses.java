package io.vmsup.supervisor.api;

/**
 * Every event-bus address of the supervisor, in one place. Commands are request/reply with {@link
 * io.vertx.core.json.JsonObject} bodies; failures carry an {@link ErrorCode}. Events are published, never sent.
 * The message schemas are documented in {@code docs/event-bus-api.md}.
 */
public final class Addresses {

  /** Body: a VM spec. Reply: the VM view. Fails INVALID, CONFLICT (a VM of that name exists). */
  public static final String CREATE = "vmsup.vm.create";
  /** Body {@code {"name"}}. Reply: the VM view once RUNNING (or PAUSED). Fails NOT_FOUND, CONFLICT, INTERNAL. */
  public static final String START = "vmsup.vm.start";
  /** Body {@code {"name","graceSeconds"?}}. Reply: the VM view plus {@code "steps"} of the stop ladder. */
  public static final String STOP = "vmsup.vm.stop";
  /** Body {@code {"name"}}: SIGKILL at once. Reply: the VM view plus {@code "steps":["kill"]}. */
  public static final String KILL = "vmsup.vm.kill";
  /** Body {@code {"name"}}: QMP {@code stop}. */
  public static final String PAUSE = "vmsup.vm.pause";
  /** Body {@code {"name"}}: QMP {@code cont}. */
  public static final String RESUME = "vmsup.vm.resume";
  /** Body {@code {"name"}}: QMP {@code system_reset}. */
  public static final String RESET = "vmsup.vm.reset";
  /** Body {@code {"name"}}: forgets a VM that is not running, with its state directory. */
  public static final String DELETE = "vmsup.vm.delete";
  /** Body {@code {"name"}}. Reply: the VM view. */
  public static final String GET = "vmsup.vm.get";
  /** Body {@code {}}. Reply {@code {"vms":[view...]}}. */
  public static final String LIST = "vmsup.vm.list";
  /**
   * Body {@code {"name","execute","arguments"?}}. Reply {@code {"return": value}}: raw QMP pass-through. On a single
   * host {@link #passThrough(String)} takes the same request straight to the VM's actor.
   */
  public static final String QMP = "vmsup.vm.qmp";

  /**
   * Body {@code {"name","device":{...spec device...}}} (or {@code {"kind":"cpu"}}). Reply {@code
   * {"name","id","kind","live","steps"}}. Fails INVALID (every violation), CONFLICT, INTERNAL (QMP error, rolled
   * back), UNAVAILABLE.
   */
  public static final String ATTACH = "vmsup.vm.attach";
  /**
   * Body {@code {"name","id","timeoutSeconds"?}}. Reply as {@link #ATTACH}. Fails NOT_FOUND, INVALID, UNAVAILABLE
   * (no {@code DEVICE_DELETED} in time, {@code "pending":true}), INTERNAL.
   */
  public static final String DETACH = "vmsup.vm.detach";
  /**
   * Body {@code {"name"}}. Reply {@code {"name","state","source","argv",...}}: the exact QEMU argv of the VM. With a
   * QEMU process, {@code "source":"process"}, its {@code pid} and its command line as executed, plus
   * {@code addedOverQmp}/{@code removedOverQmp}: the arguments the spec gained or lost since over QMP (hot-plug);
   * without one, {@code "source":"render"} and the launch form the next start executes; {@code handedOver} and
   * {@code afterHandOver} list the NICs whose descriptors the daemon passes over QMP after start. Fails NOT_FOUND.
   */
  public static final String RENDER = "vmsup.vm.render";
  /**
   * Body {@code {"name","execute","arguments"?,"timeoutMs"?}}: a read-only QMP query ({@code query-*}) answered by
   * the VM's actor over its own connection (within {@code timeoutMs}, at most the command timeout), for the daemon's
   * own readers (the metrics collector). Internal: outside {@code vmsup.vm.*}, so neither HTTP nor the bridge offers it
   * and it is no audited command. Reply {@code {"return": value}}. Fails INVALID (not a query), CONFLICT (no QMP
   * connection), UNAVAILABLE, INTERNAL.
   */
  public static final String QUERY = "vmsup.internal.query";
  /**
   * Body {@code {"name","lines"}} ({@code lines} 0 to 5000). Reply {@code {"name","qemu":{"path","exists","lines"},
   * "serial":{...}}}: the last lines of each of the VM's logs (after a rotation the rotated file's last lines come
   * first), read by the VM's actor, for {@code GET /v1/vms/{name}/log}. Internal like {@link #QUERY}. Fails
   * NOT_FOUND, INVALID.
   */
  public static final String LOG_READ = "vmsup.internal.log";
  /**
   * Body {@code {"name","lines"?,"after"?}}. Reply {@code {"vm","lines":[{"line","offset"}...],"next","truncated"}}:
   * the last lines of the serial log (after offset {@code after}) and the offset where the live stream ({@link
   * #console(String)}) continues.
   */
  public static final String CONSOLE_READ = "vmsup.vm.console.read";
  /** Body {@code {"name","data"}}: writes {@code data} (text, sent as is) to the guest's first serial port. */
  public static final String CONSOLE_WRITE = "vmsup.vm.console.write";

  /**
   * Body {@code {"name","path","format"?,"flatten"?}}: copies a local file (inside the path roots) into the image
   * store with {@code qemu-img convert}. {@code format} is the source's format (raw, qcow2, qed, vdi, vhdx, vpc; probed
   * when absent). An image whose header names a backing or data file is refused unless {@code flatten}. Publishes
   * {@code {"type":"image-progress","image","percent"}} on {@link #EVENTS} while it copies. Reply: the image's record
   * {@code {"name","format","virtualSize","actualSize","file","source","sourceFormat","created"}}. Fails INVALID (with
   * the JSON path), CONFLICT (the name exists or is being imported), NOT_PERSISTED (no space), INTERNAL.
   */
  public static final String IMAGE_IMPORT = "vmsup.image.import";
  /** Body {@code {}}. Reply {@code {"images":[record...]}}. */
  public static final String IMAGE_LIST = "vmsup.image.list";
  /** Body {@code {"name"}}. Reply: the record plus {@code "info"} (qemu-img info) and {@code "usedBy"} (VM names). */
  public static final String IMAGE_GET = "vmsup.image.get";
  /** Body {@code {"name"}}. Reply {@code {"name","deleted":true}}. Fails NOT_FOUND, CONFLICT naming the VMs using it. */
  public static final String IMAGE_DELETE = "vmsup.image.delete";
  /**
   * Internal (the registry, at create): body {@code {"vm","disks":[{"at","id","image"?,"size"?}]}} makes the VM's
   * disks in {@code vms/<vm>/disks/}, all or none; {@code {"vm","discard":true}} removes them. Fails INVALID (unknown
   * image, size smaller than the image, each with its JSON path), NOT_PERSISTED (no space), INTERNAL.
   */
  public static final String IMAGE_DISKS = "vmsup.internal.image.disks";
  /**
   * Body {@code {"name","bridge"?,"subnet","gateway"?,"dhcp":{"range":[START,END]}?,"nat"?}}: creates a managed
   * network (bridge, gateway address, dnsmasq for DHCP, nftables NAT). Reply: the network view. Fails INVALID (every
   * violation with its path), CONFLICT (the name exists), INTERNAL (a host tool failed; nothing is left half-made).
   * See {@link io.vmsup.supervisor.network.Networks}.
   */
  public static final String NETWORK_CREATE = "vmsup.network.create";
  /** Body {@code {}}. Reply {@code {"networks":[view...]}}. */
  public static final String NETWORK_LIST = "vmsup.network.list";
  /** Body {@code {"name"}}. Reply: the network view (definition, dnsmasq state, leases, VMs on it). */
  public static final String NETWORK_GET = "vmsup.network.get";
  /** Body {@code {"name"}}: removes the network from the host. Fails NOT_FOUND, CONFLICT while VMs use it. */
  public static final String NETWORK_DELETE = "vmsup.network.delete";

  /**
   * Body {@code {"name","snapshot"}}: a snapshot of the VM's writable qcow2 disks (read-only disks left out). RUNNING
   * or PAUSED: QEMU's {@code snapshot-save} job with the guest's memory ({@code "memory":true}; {@code job} events
   * show its progress); down: disk-only {@code qemu-img snapshot}. Reply {@code {"name","snapshot","memory","disks",
   * "state"}}. Fails INVALID (the name), CONFLICT (a writable raw disk, named in {@code disk}/{@code path}; the name
   * exists; a state in between; another disk operation), NOT_FOUND, INTERNAL (the job's error).
   */
  public static final String SNAPSHOT_CREATE = "vmsup.vm.snapshot.create";
  /** Body {@code {"name"}}. Reply {@code {"name","snapshots":[{"name","date","vmStateSize","disks"}]}}. */
  public static final String SNAPSHOT_LIST = "vmsup.vm.snapshot.list";
  /** Body {@code {"name","snapshot"}}: back to the snapshot (memory too while running). Reply as create. */
  public static final String SNAPSHOT_REVERT = "vmsup.vm.snapshot.revert";
  /** Body {@code {"name","snapshot"}}. Reply as create. Fails NOT_FOUND for an unknown snapshot. */
  public static final String SNAPSHOT_DELETE = "vmsup.vm.snapshot.delete";
  /**
   * Body {@code {"name","disk","size"}}: grows a disk, live ({@code block_resize}) or offline ({@code qemu-img
   * resize}). Reply {@code {"name","disk","size","previous","live"}}. Fails INVALID (a smaller size: shrinking is
   * refused), NOT_FOUND (no such disk), CONFLICT (read-only disk, state), INTERNAL.
   */
  public static final String DISK_RESIZE = "vmsup.vm.disk.resize";

  /** Every event of every VM is published here. */
  public static final String EVENTS = "vmsup.events";

  /**
   * Body {@code {}}. Reply {@code {"hosts":[{"host","addresses","cpus","memoryTotalBytes","memoryAvailableBytes",
   * "memoryCommittedBytes","vms","qemuVersion","kvm","joinedAt","labels","cordoned","state"}...]}}: every member of
   * the fleet (a single host lists itself). Fails UNAVAILABLE.
   */
  public static final String HOSTS_LIST = "vmsup.hosts.list";
  /** Body {@code {"host"}}: no new VM is placed on that host until {@link #HOST_UNCORDON}. Reply: the host. */
  public static final String HOST_CORDON = "vmsup.host.cordon";
  /** Body {@code {"host"}}: the host takes new VMs again. Reply: the host. */
  public static final String HOST_UNCORDON = "vmsup.host.uncordon";
  /**
   * Body {@code {"name","as"}}: a new VM {@code as} from the stopped VM {@code name}: the same spec under the new name,
   * with new MAC addresses and a new UUID, and a full copy of each disk the daemon made for the source (a copy-on-write
   * overlay stays an overlay over the same read-only image); read-only {@code file} disks are shared. Progress of the
   * copies is published as {@code clone-progress} events. Reply: the new VM's view. Fails INVALID (bad {@code as}),
   * NOT_FOUND (no source), CONFLICT ({@code as} exists; the source is not stopped; a writable {@code file} disk, named
   * in {@code disk}/{@code path}), NOT_PERSISTED (no space), INTERNAL. Nothing of the clone is left after a failure.
   */
  public static final String CLONE = "vmsup.vm.clone";
  /**
   * Body {@code {"name","spec","ifMatch"?}}: replaces the whole spec of a VM without a process (DEFINED, STOPPED,
   * FAILED, or CRASHED with no restart pending) by {@code spec}, whose {@code name} must be {@code name}.
   * {@code ifMatch} is a list of spec versions ({@code specVersion} of the VM view); when given, the spec is
   * replaced only if the current version is one of them. Reply: the VM view with the new spec and version. Fails
   * NOT_FOUND, INVALID (every violation; paths relative to the spec), CONFLICT (a process, a restart pending or
   * another operation of the VM in progress), PRECONDITION_FAILED (details {@code "specVersion"}: the current
   * one), NOT_PERSISTED (the old spec stays, in the daemon and on disk).
   */
  public static final String REPLACE = "vmsup.vm.replace";

  /**
   * Fleet-internal (published by every member, over the mutual-TLS bus only): a host's relocatable VMs with their
   * specs and its fencing lease, which the others need to relocate them once that host is lost.
   */
  public static final String FLEET_RELOCATABLE = "vmsup.fleet.relocatable";
  private static final String EVENTS_PREFIX = EVENTS + ".";
  private static final String VMSUP = "vmsup";
  private static final String HOST_PREFIX = "vmsup.host.";
  private static final String CONSOLE_PREFIX = "vmsup.console.";
  private static final String PASS_THROUGH_PREFIX = QMP + ".";

  private Addresses() {
  }

  /**
   * One host's own form of a VM address: {@code vmsup.vm.start} on host {@code h2} is {@code
   * vmsup.host.h2.vm.start}. Any member forwards a plain VM address to the owning host's form; a service may also
   * use it directly.
   */
  public static String onHost(String hostId, String plain) {
    return HOST_PREFIX + hostId + plain.substring(VMSUP.length());
  }

  /**
   * The plain form of a host's own VM, image or network address ({@code vmsup.host.h2.vm.start} → {@code
   * vmsup.vm.start}, {@code vmsup.host.h2.image.delete} → {@code vmsup.image.delete}); a VM's own pass-through address
   * ({@link #passThrough(String)}) is {@link #QMP}, so the scope gate and the audit see it as the pass-through it is.
   */
  public static String plain(String address) {
    if (address != null && address.startsWith(PASS_THROUGH_PREFIX)) {
      return QMP;
    }
    if (address != null && address.startsWith(HOST_PREFIX)) {
      int dot = address.indexOf('.', HOST_PREFIX.length());
      if (dot > HOST_PREFIX.length() && (address.startsWith("vm.", dot + 1) || address.startsWith("image.", dot + 1)
          || address.startsWith("network.", dot + 1))) {
        return VMSUP + address.substring(dot);
      }
    }
    return address;
  }

  /**
   * One member's description of itself (internal to the fleet; {@link #HOSTS_LIST} gathers them): {@code
   * vmsup.host.<id>.info}.
   */
  public static String hostInfo(String hostId) {
    return HOST_PREFIX + hostId + ".info";
  }

  /** The address where the events of one VM are published: {@code vmsup.events.<name>}. */
  public static String events(String vmName) {
    return EVENTS_PREFIX + vmName;
  }

  /**
   * Where the serial console lines of one VM are published: {@code vmsup.console.<name>}, bodies
   * {@code {"vm","line","offset"}} ({@code offset}: the line's first byte in the VM's serial log).
   */
  public static String console(String vmName) {
    return CONSOLE_PREFIX + vmName;
  }

  /**
   * One VM's own pass-through address, {@code vmsup.vm.qmp.<name>} (single host only): the same request and reply as
   * {@link #QMP} (the body still names the VM; a body naming another VM fails INVALID), answered by the VM's actor on
   * its own context, so the request does not cross the registry's event loop. The actor holds it once deployed (after
   * recovery) and until it is undeployed; no handler means no such VM on this host (or not yet, or no longer): ask
   * {@link #QMP}, whose answer (404) is authoritative. Offered in-process, over HTTP's edge and both bridges; the scope
   * gate and the audit treat it as {@link #QMP} ({@link #plain}). A fleet member does not register it: there the
   * directory, through {@link #QMP}, says where a VM runs.
   */
  public static String passThrough(String vmName) {
    return PASS_THROUGH_PREFIX + vmName;
  }
}
