package io.vmsup.supervisor.api;

/**
 * A request header for {@link Addresses#CREATE} (a header name, not an address): {@value #HEADER} {@code true}
 * creates the VM and starts it in one request ({@code POST /v1/vms?start=true}). Its records and the start's intent
 * are written in one write, no second request crosses the bus, and the reply is the VM's view once RUNNING (or PAUSED
 * for {@code startPaused}). When the VM was created but its start failed, the reply is the start's failure (its code,
 * the VM's state, exit code and log tail) with {@code "created": true} and the VM's view under {@code "vm"}: the VM
 * exists. A failed create (INVALID, CONFLICT, NOT_PERSISTED) leaves nothing behind and spawned nothing, as a plain
 * create. Any value but {@code true} or {@code false} is INVALID ({@code headers.start}).
 */
public final class CreateAndStart {

  /** The header's name. */
  public static final String HEADER = "start";

  private CreateAndStart() {
  }
}
