package io.vmsup.supervisor;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Daemon settings.
 *
 * @param stateDir       where specs, desired states, runtime records, sockets and logs live
 * @param qemuBinary     the QEMU system emulator to run (a name on PATH or a path)
 * @param commandTimeout how long one QMP command may take before the request fails UNAVAILABLE (503)
 * @param startTimeout   spawn → QMP answers {@code query-status}; beyond it the start ends FAILED
 * @param stopOnShutdown whether {@link Supervisor#shutdown()} stops VMs through the ladder (default: leave them up)
 */
public record SupervisorOptions(Path stateDir, String qemuBinary, Duration commandTimeout, Duration startTimeout,
    boolean stopOnShutdown) {

  public static SupervisorOptions defaults() {
    return new SupervisorOptions(Path.of("vmsup-data"), "qemu-system-x86_64", Duration.ofSeconds(5),
        Duration.ofSeconds(30), false);
  }

  public SupervisorOptions withStateDir(Path dir) {
    return new SupervisorOptions(dir, qemuBinary, commandTimeout, startTimeout, stopOnShutdown);
  }

  public SupervisorOptions withQemuBinary(String binary) {
    return new SupervisorOptions(stateDir, binary, commandTimeout, startTimeout, stopOnShutdown);
  }

  public SupervisorOptions withCommandTimeout(Duration timeout) {
    return new SupervisorOptions(stateDir, qemuBinary, timeout, startTimeout, stopOnShutdown);
  }

  public SupervisorOptions withStartTimeout(Duration timeout) {
    return new SupervisorOptions(stateDir, qemuBinary, commandTimeout, timeout, stopOnShutdown);
  }

  public SupervisorOptions withStopOnShutdown(boolean stop) {
    return new SupervisorOptions(stateDir, qemuBinary, commandTimeout, startTimeout, stop);
  }
}
