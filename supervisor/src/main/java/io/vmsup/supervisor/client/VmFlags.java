package io.vmsup.supervisor.client;

/**
 * The per-command flags of {@code vmsup vm}.
 *
 * @param grace   {@code stop --grace SECONDS}
 * @param lines   {@code log|console --lines N}
 * @param raw     {@code send --raw}: write the text as is, without a trailing newline
 * @param timeout {@code detach --timeout SECONDS}: how long to wait for the guest to release the device
 */
record VmFlags(String grace, String lines, boolean raw, String timeout) {

  static VmFlags none() {
    return new VmFlags(null, null, false, null);
  }

  VmFlags withGrace(String value) {
    return new VmFlags(value, lines, raw, timeout);
  }

  VmFlags withLines(String value) {
    return new VmFlags(grace, value, raw, timeout);
  }

  VmFlags withRaw() {
    return new VmFlags(grace, lines, true, timeout);
  }

  VmFlags withTimeout(String value) {
    return new VmFlags(grace, lines, raw, value);
  }
}
