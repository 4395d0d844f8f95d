package io.vmsup.supervisor.console.impl;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One connection per VM to QEMU's serial socket (a server chardev serves one client at a time), opened on the first
 * write and kept: closing right after a write could drop input QEMU has not read yet (the UART takes 16 bytes at a
 * time). What QEMU sends back on it is discarded (the same output is in the log file), but it must be read: a
 * client that does not read makes QEMU's writes fail with EAGAIN and the guest's UART stall.
 */
final class SerialWriters {

  private final NetClient client;
  private final Map<String, Future<NetSocket>> sockets = new HashMap<>();

  SerialWriters(NetClient client) {
    this.client = client;
  }

  Future<Integer> write(String vm, Path socket, Buffer data) {
    return socket(vm, socket).compose(s -> s.write(data)).map(v -> data.length());
  }

  private Future<NetSocket> socket(String vm, Path path) {
    Future<NetSocket> f = sockets.get(vm);
    if (f != null && !f.failed()) {
      return f;
    }
    f = client.connect(SocketAddress.domainSocketAddress(path.toString()))
        .map(s -> {
          s.handler(ignored -> { });
          s.closeHandler(v -> forget(vm, s));
          return s;
        })
        .recover(t -> Future.failedFuture(new VmException(ErrorCode.UNAVAILABLE,
            "cannot connect to the serial console of VM '" + vm + "': " + t.getMessage())));
    sockets.put(vm, f);
    return f;
  }

  private void forget(String vm, NetSocket s) {
    Future<NetSocket> f = sockets.get(vm);
    if (f != null && f.succeeded() && f.result() == s) {
      sockets.remove(vm);
    }
  }

  /** Closes the connection of a VM (deleted, or its QEMU gone). */
  void close(String vm) {
    Future<NetSocket> f = sockets.remove(vm);
    if (f != null) {
      f.onSuccess(NetSocket::close);
    }
  }
}
