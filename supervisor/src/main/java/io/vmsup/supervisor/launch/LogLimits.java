package io.vmsup.supervisor.launch;

import java.time.Duration;

/**
 * How large a VM's {@code qemu.log} and {@code serial.log} may grow while QEMU runs: a log that reached
 * {@code maxBytes} is copied to {@code .1} (older generations shifted up to {@code keep}) and truncated in place,
 * checked every {@code checkEvery}. At most {@code (keep + 1) * maxBytes} per log.
 */
public record LogLimits(long maxBytes, int keep, Duration checkEvery) {

  public LogLimits {
    if (maxBytes < 1 || keep < 1 || checkEvery.isNegative() || checkEvery.isZero()) {
      throw new IllegalArgumentException("log limits: maxBytes and keep >= 1, checkEvery > 0");
    }
  }

  /** 10 MiB per file, 3 rotated files, checked every 10 s. */
  public static LogLimits defaults() {
    return new LogLimits(10L * 1024 * 1024, 3, Duration.ofSeconds(10));
  }
}
