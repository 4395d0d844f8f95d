package io.vmsup.qmp;

/**
 * The credentials of the process at the other end of a QMP unix socket, as the kernel recorded them
 * ({@code SO_PEERCRED}): for a socket this client connected, the process that called {@code listen()} on the server
 * socket (QEMU itself, for a monitor QEMU created), with the uid and gid it had then.
 *
 * @param pid the peer's process id (0 when the kernel could not name it, e.g. across pid namespaces)
 * @param uid its effective user id
 * @param gid its effective group id
 */
public record QmpPeer(long pid, int uid, int gid) {

  @Override
  public String toString() {
    return "pid " + pid + " (uid " + uid + ", gid " + gid + ")";
  }
}
