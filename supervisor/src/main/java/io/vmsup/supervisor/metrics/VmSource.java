package io.vmsup.supervisor.metrics;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vmsup.qmp.QmpCommand;
import java.time.Duration;
import java.util.List;

/**
 * Where the metrics collector reads VMs from. Implementations must not block; the daemon backs it with the
 * supervisor ({@code Supervisor.vms()}), tests may back it with the event bus.
 */
public interface VmSource {

  /** The VMs that exist now. */
  Future<List<VmSnapshot>> vms();

  /**
   * Runs a read-only typed QMP query ({@code query-*} of qmp-client) on a VM.
   *
   * @return the result as the command decodes it; a failed future on QMP errors, a reply the decoder cannot read,
   *     closed connections, or after {@code timeout}: with the QMP client's {@code QmpTimeoutException} (its
   *     observer counts it), or with a {@link java.util.concurrent.TimeoutException} from sources without an
   *     observer (the collector counts it)
   */
  <T> Future<T> query(String vm, QmpCommand<T> command, Duration timeout);

  /**
   * Runs several read-only typed QMP queries on a VM at once, in one request where the implementation can.
   *
   * @return one result per command, in order: the result as that command decodes it (read it with
   *     {@link #result}), or that command's failure (as {@link #query}); the future itself does not fail
   */
  default Future<List<AsyncResult<?>>> queries(String vm, List<QmpCommand<?>> commands, Duration timeout) {
    List<Future<?>> each = commands.stream().<Future<?>>map(c -> query(vm, c, timeout)).toList();
    return Future.join(each).transform(ar -> Future.succeededFuture(List.copyOf(each)));
  }

  /** The result of {@code command} at its place in a {@link #queries} answer, typed as the command decodes. */
  @SuppressWarnings("unchecked")
  static <T> T result(QmpCommand<T> command, AsyncResult<?> answer) {
    return (T) answer.result();
  }

  /**
   * The counters of the VM's cgroup (every thread of its QEMU), read off the event loop; null when it has none (no
   * process, cgroups off). Never fails: a figure that cannot be read is empty.
   */
  default Future<io.vmsup.supervisor.cgroup.CgroupUsage> cgroupUsage(String vm) {
    return Future.succeededFuture();
  }

  /**
   * The cgroup counters of many VMs at once, by VM name (a VM without counters is absent), read off the event loop
   * in one task where the implementation can. Never fails.
   */
  default Future<java.util.Map<String, io.vmsup.supervisor.cgroup.CgroupUsage>> cgroupUsages(List<String> vms) {
    java.util.Map<String, io.vmsup.supervisor.cgroup.CgroupUsage> out = new java.util.concurrent.ConcurrentHashMap<>();
    return Future.join(vms.stream().map(vm -> cgroupUsage(vm).andThen(ar -> {
      if (ar.succeeded() && ar.result() != null) {
        out.put(vm, ar.result());
      }
    })).toList()).transform(ar -> Future.succeededFuture(out));
  }

  /**
   * The tap counters ({@code rx_bytes}, {@code rx_packets}, {@code tx_bytes}, {@code tx_packets}) of the VM's NICs
   * on managed networks, by NIC id, read off the event loop; a NIC without a tap is absent. Never fails.
   */
  default Future<java.util.Map<String, java.util.Map<String, Long>>> nicCounters(String vm) {
    return Future.succeededFuture(java.util.Map.of());
  }
}
