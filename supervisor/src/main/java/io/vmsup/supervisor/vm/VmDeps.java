package io.vmsup.supervisor.vm;

import io.vmsup.supervisor.api.SupervisorOptions;
import io.vmsup.supervisor.link.QmpConnector;
import io.vmsup.supervisor.store.StateStore;
import java.time.Clock;

/**
 * What every VM actor shares: settings, the store, the QMP connector, the snapshot table it writes its own entry of,
 * the daemon's cgroups and its start queue.
 */
public record VmDeps(SupervisorOptions options, StateStore store, QmpConnector connector,
    VmTable table, Clock clock, io.vmsup.supervisor.cgroup.Cgroups cgroups,
    io.vmsup.supervisor.launch.StartQueue starts) {
}
