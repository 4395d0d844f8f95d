package io.vmsup.supervisor.metrics;

import java.util.List;

/**
 * Every metric vmsup defines: the Micrometer name, and in {@link #EXPORTED} the Prometheus names they become.
 * Tags are bounded: {@code vm}, {@code state} (a closed set), {@code drive} (from the VM spec), {@code command}
 * (QMP command names), {@code outcome}, {@code event} (QMP event names).
 */
public final class MetricNames {

  public static final String VM_UP = "vmsup.vm.up";
  public static final String VM_STATE = "vmsup.vm.state";
  public static final String VM_INFO = "vmsup.vm.info";
  public static final String VM_RESTARTS = "vmsup.vm.restarts";
  public static final String VM_START_DURATION = "vmsup.vm.start.duration.seconds";
  public static final String VM_START_TIME = "vmsup.vm.start.time.seconds";
  public static final String VM_CPU = "vmsup.vm.cpu.seconds";
  public static final String VM_RSS = "vmsup.vm.memory.rss.bytes";
  public static final String VM_VCPUS = "vmsup.vm.vcpus";
  public static final String VM_CGROUP_CPU = "vmsup.vm.cgroup.cpu.seconds";
  public static final String VM_CGROUP_MEMORY = "vmsup.vm.cgroup.memory.bytes";
  public static final String VM_CGROUP_MEMORY_LIMIT = "vmsup.vm.cgroup.memory.limit.bytes";
  public static final String VM_CGROUP_OOM_KILLS = "vmsup.vm.cgroup.oom.kills";
  public static final String VM_CGROUP_TASKS = "vmsup.vm.cgroup.tasks";
  public static final String VM_BLOCK_READ_BYTES = "vmsup.vm.block.read.bytes";
  public static final String VM_BLOCK_WRITE_BYTES = "vmsup.vm.block.write.bytes";
  public static final String VM_BLOCK_READ_OPS = "vmsup.vm.block.read.operations";
  public static final String VM_BLOCK_WRITE_OPS = "vmsup.vm.block.write.operations";
  /** Bytes a disk's image file takes on the host (an overlay grows as the guest writes), by {@code drive}. */
  public static final String VM_DISK_ALLOCATED = "vmsup.vm.disk.allocated.bytes";
  /** A disk's size as the guest sees it, by {@code drive}. */
  public static final String VM_DISK_VIRTUAL = "vmsup.vm.disk.virtual.bytes";
  /** Bytes the images of the image store take on the host (their allocated size when imported). */
  public static final String IMAGE_STORE_USED = "vmsup.image.store.used.bytes";
  /** Bytes still free for the image store (usable space of its file system). */
  public static final String IMAGE_STORE_AVAILABLE = "vmsup.image.store.available.bytes";
  /** Images in the image store. */
  public static final String IMAGE_STORE_IMAGES = "vmsup.image.store.images";
  public static final String QMP_COMMAND_DURATION = "vmsup.qmp.command.duration";
  public static final String VM_QMP_COMMANDS = "vmsup.vm.qmp.commands";
  public static final String VM_QMP_SECONDS = "vmsup.vm.qmp.command.seconds";
  public static final String QMP_EVENTS = "vmsup.qmp.events";
  public static final String QMP_TIMEOUTS = "vmsup.qmp.timeouts";
  public static final String QMP_EVENT_DROPS = "vmsup.qmp.event.drops";
  public static final String HTTP_EDGE_REFUSALS = "vmsup.http.edge.refusals";
  public static final String HTTP_CONNECTIONS = "vmsup.http.connections";
  public static final String VM_NET_RECEIVE_BYTES = "vmsup.vm.net.receive.bytes";
  public static final String VM_NET_RECEIVE_PACKETS = "vmsup.vm.net.receive.packets";
  public static final String VM_NET_TRANSMIT_BYTES = "vmsup.vm.net.transmit.bytes";
  public static final String VM_NET_TRANSMIT_PACKETS = "vmsup.vm.net.transmit.packets";
  public static final String TAG_NIC = "nic";

  /** Fleet members this daemon sees (itself included); only with {@code --cluster}. */
  public static final String CLUSTER_MEMBERS = "vmsup.cluster.members";
  /** Guest RAM of this host's VMs that have a process; only with {@code --cluster}. */
  public static final String HOST_MEMORY_COMMITTED = "vmsup.host.memory.committed.bytes";
  /** Requests this member's router answered through a host ({@code op}, {@code target}, {@code outcome}). */
  public static final String CLUSTER_FORWARD = "vmsup.cluster.forward.duration";
  /** {@code local} (this host owns the VM) or {@code remote}. */
  public static final String TAG_TARGET = "target";
  /** The VM command forwarded ({@code start}, {@code list}, ...). */
  public static final String TAG_OP = "op";

  public static final String TAG_VM = "vm";
  public static final String TAG_STATE = "state";
  public static final String TAG_DRIVE = "drive";
  public static final String TAG_COMMAND = "command";
  public static final String TAG_OUTCOME = "outcome";
  public static final String TAG_EVENT = "event";
  public static final String TAG_QEMU_VERSION = "qemu_version";
  public static final String TAG_MACHINE = "machine";
  /** Why the HTTP edge refused or cut something ({@code EdgeGuard}'s reasons, a closed set). */
  public static final String TAG_REASON = "reason";
  /** {@code authenticated} or {@code unauthenticated}. */
  public static final String TAG_CLASS = "class";

  /** The Prometheus names of vmsup's own metrics, as {@code /metrics} shows them. */
  public static final List<String> EXPORTED = List.of(
      "vmsup_vm_up",
      "vmsup_vm_state",
      "vmsup_vm_info",
      "vmsup_vm_restarts_total",
      "vmsup_vm_start_duration_seconds",
      "vmsup_vm_start_time_seconds",
      "vmsup_vm_cpu_seconds_total",
      "vmsup_vm_memory_rss_bytes",
      "vmsup_vm_vcpus",
      "vmsup_vm_cgroup_cpu_seconds_total",
      "vmsup_vm_cgroup_memory_bytes",
      "vmsup_vm_cgroup_memory_limit_bytes",
      "vmsup_vm_cgroup_oom_kills_total",
      "vmsup_vm_cgroup_tasks",
      "vmsup_vm_block_read_bytes_total",
      "vmsup_vm_block_write_bytes_total",
      "vmsup_vm_block_read_operations_total",
      "vmsup_vm_block_write_operations_total",
      "vmsup_qmp_command_duration_seconds",
      "vmsup_vm_qmp_commands_total",
      "vmsup_vm_qmp_command_seconds_total",
      "vmsup_qmp_events_total",
      "vmsup_qmp_timeouts_total",
      "vmsup_qmp_event_drops_total",
      "vmsup_http_edge_refusals_total",
      "vmsup_http_connections");

  /** The Prometheus names of the fleet's metrics, exported only by a daemon run with {@code --cluster}. */
  public static final List<String> CLUSTER_EXPORTED = List.of(
      "vmsup_cluster_members",
      "vmsup_host_memory_committed_bytes",
      "vmsup_cluster_forward_duration_seconds");

  private MetricNames() {
  }
}
