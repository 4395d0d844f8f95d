package io.vmsup.supervisor.launch;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Keeps every VM's {@code qemu.log} and {@code serial.log} under {@link LogLimits#maxBytes()} while QEMU writes
 * them: a periodic timer hands one pass over all VMs to a worker ({@link LogFiles#capRunning}); a pass still running
 * when the timer fires again is not doubled.
 */
public final class LogRotation extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(LogRotation.class.getName());

  private final LogLimits limits;
  private final Supplier<? extends Iterable<String>> vms;
  private final Function<String, Path> vmDir;
  private boolean busy;

  /**
   * @param vms   the names of the VMs, read at each pass
   * @param vmDir the directory of a VM
   */
  public LogRotation(LogLimits limits, Supplier<? extends Iterable<String>> vms, Function<String, Path> vmDir) {
    this.limits = limits;
    this.vms = vms;
    this.vmDir = vmDir;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(limits.checkEvery().toMillis(), id -> pass());
    return Future.succeededFuture();
  }

  private void pass() {
    if (busy) {
      return;
    }
    busy = true;
    List<Path> dirs = new java.util.ArrayList<>();
    vms.get().forEach(name -> dirs.add(vmDir.apply(name)));
    vertx.executeBlocking(() -> {
      for (Path dir : dirs) {
        for (String log : new String[] {"qemu.log", "serial.log"}) {
          cap(dir.resolve(log));
        }
      }
      return null;
    }, false).onComplete(ar -> busy = false);
  }

  private void cap(Path log) {
    try {
      if (LogFiles.capRunning(log, limits.maxBytes(), limits.keep())) {
        LOG.fine(() -> "rotated " + log);
      }
    } catch (IOException e) {
      LOG.warning("log rotation of " + log + ": " + e.getMessage());
    }
  }
}
