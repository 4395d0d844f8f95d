package io.vmsup.supervisor.bench;

import io.netty.channel.unix.Socket;
import io.vmsup.config.RuntimeArgs;
import io.vmsup.supervisor.store.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Fault injection for the bench and the tests: cuts this process's own QMP connections to one QEMU the way a
 * connection lost under the daemon ends ({@code shutdown(2)} of our end; QEMU keeps running and listening). Nothing
 * outside a VM's actor holds its QMP client, so the connection is found from the kernel's side: {@code ss} names the
 * peer inode of each connection QEMU accepted on the socket, {@code /proc/self/fd} which of our descriptors has it.
 * Blocking (runs {@code ss}); call it from a test or bench thread, never from an event loop.
 */
public final class QmpCut {

  private QmpCut() {
  }

  /** The QMP socket of VM {@code vm} of the daemon whose state directory is {@code stateDir}. */
  public static Path socketOf(Path stateDir, String vm) {
    return RuntimeArgs.in(StateStore.vmDir(stateDir, vm)).qmpSocket();
  }

  /** The inodes of this process's sockets connected to the QMP socket {@code qmpSocket}. */
  public static Set<Long> connections(Path qmpSocket) throws IOException, InterruptedException {
    Set<Long> peers = peersOf(qmpSocket);
    Set<Long> ours = new LinkedHashSet<>();
    for (var fd : socketFds().entrySet()) {
      if (peers.contains(fd.getValue())) {
        ours.add(fd.getValue());
      }
    }
    return ours;
  }

  /** Shuts down this process's connections to {@code qmpSocket}; returns their inodes (empty: none was open). */
  public static Set<Long> cut(Path qmpSocket) throws IOException, InterruptedException {
    Set<Long> peers = peersOf(qmpSocket);
    Set<Long> cut = new LinkedHashSet<>();
    for (var fd : socketFds().entrySet()) {
      if (peers.contains(fd.getValue())) {
        new Socket(fd.getKey()).shutdown();
        cut.add(fd.getValue());
      }
    }
    return cut;
  }

  /** {@code ss -xnH src PATH}: {@code u_str ESTAB 0 0 PATH INODE * PEER_INODE}, one line per accepted connection. */
  private static Set<Long> peersOf(Path qmpSocket) throws IOException, InterruptedException {
    Process ss = new ProcessBuilder("ss", "-xnH", "src", qmpSocket.toAbsolutePath().toString())
        .redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!ss.waitFor(10, TimeUnit.SECONDS) || ss.exitValue() != 0) {
      throw new IOException("ss failed: " + out);
    }
    Set<Long> peers = new LinkedHashSet<>();
    for (String line : out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 8 && f[1].equals("ESTAB")) {
        peers.add(Long.parseLong(f[f.length - 1]));
      }
    }
    return peers;
  }

  /** This process's socket descriptors: fd → inode. */
  private static Map<Integer, Long> socketFds() throws IOException {
    Map<Integer, Long> fds = new TreeMap<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path fd : dir) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException gone) {
          continue; // closed meanwhile
        }
        if (target.startsWith("socket:[")) {
          fds.put(Integer.parseInt(fd.getFileName().toString()),
              Long.parseLong(target.substring(8, target.length() - 1)));
        }
      }
    }
    return fds;
  }
}
