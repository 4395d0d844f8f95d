package io.vmsup.supervisor.metrics.impl;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vmsup.qmp.BlockNode;
import io.vmsup.qmp.BlockStats;
import io.vmsup.qmp.CpuInfo;
import io.vmsup.qmp.QemuVersion;
import io.vmsup.qmp.QmpBlockCommands;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpCommands;
import io.vmsup.qmp.QmpDeviceCommands;
import io.vmsup.supervisor.metrics.VmSnapshot;
import io.vmsup.supervisor.metrics.VmSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The QMP part of one VM's metric sample: {@code query-cpus-fast}, the block queries unless the VM has no block
 * device ({@link BlockQueries}), and {@code query-version} until the VM's info series exists.
 */
final class QmpSample {

  /** A sample's QMP queries, typed: decoded once where their replies come off the bus (the {@link VmSource}). */
  private static final QmpCommand<List<CpuInfo>> CPUS = QmpDeviceCommands.queryCpusFast();
  private static final QmpCommand<List<BlockStats>> BLOCKSTATS = QmpBlockCommands.queryBlockstats(false);
  private static final QmpCommand<List<BlockNode>> NODES = QmpBlockCommands.queryNamedBlockNodes();
  private static final QmpCommand<QemuVersion> VERSION = QmpCommands.queryVersion();

  private QmpSample() {
  }

  /**
   * Asks the VM's QMP queries of one sample in one request to its actor and applies the answers to its meters (on
   * {@code context}, the collector's); never fails: an unanswered query makes the VM's QMP series stale.
   */
  static Future<Void> run(VmSource source, QmpMetricsImpl qmp, Context context, Duration qmpTimeout,
      VmMeters meters, VmSnapshot snapshot) {
    String vm = snapshot.name();
    long changes = qmp.changes(vm);
    boolean blocks = meters.blockQueries.ask(changes);
    List<QmpCommand<?>> commands = new java.util.ArrayList<>(4);
    commands.add(CPUS);
    if (blocks) {
      commands.add(BLOCKSTATS);
      commands.add(NODES);
    }
    if (!meters.infoRegistered) {
      commands.add(VERSION);
    }
    // the source completes on its own context: come back to ours before touching the meters
    return Future.fromCompletionStage(source.queries(vm, commands, qmpTimeout).toCompletionStage(), context)
        .map(results -> {
          if (results.stream().anyMatch(AsyncResult::failed)) {
            meters.unanswered();
            // a QmpTimeoutException was already counted by the client's observer (outcome "timeout")
            if (results.stream().anyMatch(r -> r.failed() && r.cause() instanceof TimeoutException)) {
              qmp.timedOut(vm);
            }
            return (Void) null;
          }
          if (commands.get(commands.size() - 1) == VERSION) {
            meters.info(QmpResults.version(VmSource.result(VERSION, results.get(commands.size() - 1))),
                snapshot.machine());
          }
          // machine none creates no vCPU (QEMU lists none) unless the spec names a cpu: its vCPUs are what the spec
          // says
          int listed = VmSource.result(CPUS, results.get(0)).size();
          int vcpus = listed > 0 ? listed : snapshot.specCpus();
          meters.fresh(vcpus);
          if (blocks) { // else: no block device when last asked, and no command since that could add one
            List<BlockStats> stats = VmSource.result(BLOCKSTATS, results.get(1));
            List<BlockNode> nodes = VmSource.result(NODES, results.get(2));
            meters.blockFigures(QmpResults.blockstats(stats), DiskSizes.of(nodes));
            meters.blockQueries.answered(stats.isEmpty() && nodes.isEmpty(), changes);
          }
          return (Void) null;
        }).otherwise(err -> {
          meters.unanswered();
          return null;
        });
  }
}
