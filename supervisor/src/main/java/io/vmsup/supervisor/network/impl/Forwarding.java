package io.vmsup.supervisor.network.impl;

import io.vmsup.supervisor.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one host setting networks change: {@code net.ipv4.ip_forward}, turned on only while a NAT network exists.
 * Its value from before is saved first ({@code networks/ip_forward.saved}, so it survives a daemon restart) and
 * written back once no NAT network is left. Blocking.
 */
final class Forwarding {

  private Forwarding() {
  }

  /** A NAT network exists: saves the original value (once) and turns forwarding on. */
  static void needed(Path saved) throws IOException {
    String now = HostNetwork.ipForward();
    if (!Files.exists(saved)) {
      AtomicFiles.write(saved, (now + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    if (!"1".equals(now)) {
      HostNetwork.ipForward("1");
    }
  }

  /** No NAT network is left: the saved value goes back, and the record of it away. */
  static void unneeded(Path saved) throws IOException {
    if (Files.exists(saved)) {
      String original = Files.readString(saved, StandardCharsets.US_ASCII).trim();
      if (original.matches("[01]")) {
        HostNetwork.ipForward(original);
      }
      Files.delete(saved);
    }
  }
}
