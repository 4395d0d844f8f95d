package io.vmsup.supervisor.metrics.impl;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vmsup.supervisor.metrics.MetricNames;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The traffic counters of one VM's NICs on managed networks, from their taps' statistics, seen from the guest: what
 * the tap transmits the guest receives ({@code vmsup_vm_net_receive_*} = the tap's {@code tx_*}), what the guest
 * sends the tap receives. A NIC's series exist while its tap does (they restart from 0 with a new QEMU).
 */
final class NicMeters {

  private final Map<String, Map<String, Long>> last = new ConcurrentHashMap<>();
  private final Map<String, java.util.List<Meter>> meters = new HashMap<>();

  /** One sample: counters by NIC id ({@code rx_bytes}, ... of the tap); NICs absent from it lose their series. */
  void update(Map<String, Map<String, Long>> sample, MeterRegistry registry, Tags vmTags) {
    sample.forEach(last::put);
    for (String nic : sample.keySet()) {
      meters.computeIfAbsent(nic, n -> {
        Tags tags = vmTags.and(MetricNames.TAG_NIC, n);
        return java.util.List.of(
            counter(registry, MetricNames.VM_NET_RECEIVE_BYTES, n, "tx_bytes", "bytes the guest received", tags),
            counter(registry, MetricNames.VM_NET_RECEIVE_PACKETS, n, "tx_packets", "packets the guest received",
                tags),
            counter(registry, MetricNames.VM_NET_TRANSMIT_BYTES, n, "rx_bytes", "bytes the guest sent", tags),
            counter(registry, MetricNames.VM_NET_TRANSMIT_PACKETS, n, "rx_packets", "packets the guest sent", tags));
      });
    }
    for (String gone : new java.util.ArrayList<>(meters.keySet())) {
      if (!sample.containsKey(gone)) {
        meters.remove(gone).forEach(registry::remove);
        last.remove(gone);
      }
    }
  }

  private Meter counter(MeterRegistry registry, String name, String nic, String field, String what, Tags tags) {
    return FunctionCounter.builder(name, this, m -> m.last.getOrDefault(nic, Map.of()).getOrDefault(field, 0L))
        .description(what + " on a NIC on a managed network (its tap's counters)").tags(tags).register(registry);
  }

  void clear(MeterRegistry registry) {
    meters.values().forEach(l -> l.forEach(registry::remove));
    meters.clear();
    last.clear();
  }
}
