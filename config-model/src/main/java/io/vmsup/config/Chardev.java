package io.vmsup.config;

import java.util.Optional;

/**
 * A host character device ({@code -chardev}) that frontends ({@code serial-port}, {@code virtio-console},
 * {@code virtio-serial-port}) refer to by id.
 *
 * @param id      chardev id
 * @param backend {@code socket} (unix), {@code pipe}, {@code file}, {@code pty}, {@code serial} (a host tty) or
 *                {@code null}
 * @param path    socket path, pipe base path, file path or host tty; required except for pty and null
 * @param server  socket only: listen (default true) or connect
 * @param waitForClient socket server only: wait for a client before starting, default false
 * @param append  file only: append instead of truncating, default false
 * @param logfile also copy output to this file (all backends)
 */
public record Chardev(String id, Backend backend, Optional<String> path, boolean server, boolean waitForClient,
    boolean append, Optional<String> logfile) implements Device {

  /** Host side of the character device. */
  public enum Backend { SOCKET, PIPE, FILE, PTY, SERIAL, NULL }

  @Override
  public DeviceKind kind() {
    return DeviceKind.CHARDEV;
  }
}
