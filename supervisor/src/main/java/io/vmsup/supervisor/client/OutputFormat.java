package io.vmsup.supervisor.client;

/** {@code --output} of {@code vm list} and {@code vm get}. */
enum OutputFormat {
  /** Aligned columns: name, state, host, pid, uptime, memory, restarts. */
  TABLE,
  /** The table plus reason, since, QEMU version, machine and CPUs. */
  WIDE,
  /** The daemon's JSON reply, indented. */
  JSON,
  /** The same data as YAML. */
  YAML
}
