package io.vmsup.config;

/** When the supervisor restarts a VM whose QEMU process ended. JSON: {@code never}, {@code on-failure}, {@code always}. */
public enum RestartPolicy {
  /** Never restart. */
  NEVER("never"),
  /** Restart only after a crash, a non-zero exit or a guest panic; not after a clean guest shutdown. */
  ON_FAILURE("on-failure"),
  /** Restart after any end that the supervisor did not ask for. */
  ALWAYS("always");

  private final String json;

  RestartPolicy(String json) {
    this.json = json;
  }

  /** The JSON spelling. */
  public String json() {
    return json;
  }
}
