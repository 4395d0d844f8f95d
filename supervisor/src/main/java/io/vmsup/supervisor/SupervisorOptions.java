package io.vmsup.supervisor;

import io.vmsup.qmp.QmpObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * Daemon settings.
 *
 * @param stateDir       where specs, desired states, runtime records, sockets and logs live (default
 *                       {@code ./vmsup-data}); keep its absolute path short, a unix socket path has at most 107 bytes
 * @param qemuBinary     the QEMU system emulator to run (a name on PATH or a path); replaces argv[0] of the render
 * @param commandTimeout how long one QMP command may take before the request fails UNAVAILABLE (503)
 * @param startTimeout   spawn → QMP answers {@code query-status}; beyond it the start ends FAILED
 * @param stopOnShutdown whether {@link Supervisor#shutdown()} stops VMs through the ladder (default: leave them up)
 * @param qmpObservers   the observer of each VM's QMP connection, by VM name (metrics); default none
 */
public record SupervisorOptions(Path stateDir, String qemuBinary, Duration commandTimeout, Duration startTimeout,
    boolean stopOnShutdown, Function<String, QmpObserver> qmpObservers) {

  public static SupervisorOptions defaults() {
    return new SupervisorOptions(Path.of("vmsup-data"), "qemu-system-x86_64", Duration.ofSeconds(5),
        Duration.ofSeconds(30), false, vm -> QmpObserver.NOOP);
  }

  public SupervisorOptions withStateDir(Path dir) {
    return new SupervisorOptions(dir, qemuBinary, commandTimeout, startTimeout, stopOnShutdown, qmpObservers);
  }

  public SupervisorOptions withQemuBinary(String binary) {
    return new SupervisorOptions(stateDir, binary, commandTimeout, startTimeout, stopOnShutdown, qmpObservers);
  }

  public SupervisorOptions withCommandTimeout(Duration timeout) {
    return new SupervisorOptions(stateDir, qemuBinary, timeout, startTimeout, stopOnShutdown, qmpObservers);
  }

  public SupervisorOptions withStartTimeout(Duration timeout) {
    return new SupervisorOptions(stateDir, qemuBinary, commandTimeout, timeout, stopOnShutdown, qmpObservers);
  }

  public SupervisorOptions withStopOnShutdown(boolean stop) {
    return new SupervisorOptions(stateDir, qemuBinary, commandTimeout, startTimeout, stop, qmpObservers);
  }

  public SupervisorOptions withQmpObservers(Function<String, QmpObserver> observers) {
    return new SupervisorOptions(stateDir, qemuBinary, commandTimeout, startTimeout, stopOnShutdown, observers);
  }
}
