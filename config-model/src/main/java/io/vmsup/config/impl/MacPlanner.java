package io.vmsup.config.impl;

import io.vmsup.config.Device;
import io.vmsup.config.Nic;
import io.vmsup.config.PciLayout;
import io.vmsup.config.VmSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Gives each NIC without a {@code mac} a stable one: {@code 52:54:00} (QEMU's locally used prefix) plus three bytes
 * of SHA-256 over the VM name and the NIC id, so the same VM and NIC get the same MAC on any host. When that MAC is
 * taken (by another NIC of the VM, by another VM of the host, or by QEMU's own default range {@code 52:54:00:12:34:xx},
 * which VMs from before assigned MACs carry) the next candidate of the same hash chain is tried.
 */
public final class MacPlanner {

  /** The prefix of every assigned MAC. */
  public static final String PREFIX = "52:54:00";
  private static final String QEMU_DEFAULTS = "52:54:00:12:34:";
  private static final int MAX_TRIES = 1 << 16;

  private MacPlanner() {
  }

  /** The layout plus a MAC for every NIC of the spec that names none and has none assigned. */
  public static PciLayout assign(VmSpec spec, PciLayout layout, Set<String> taken) {
    if (layout.macsFromQemu()) {
      return layout;
    }
    PciLayout out = layout;
    for (Device d : spec.devices()) {
      out = assignOne(spec, out, d, taken);
    }
    return out;
  }

  /** The layout plus a MAC for device {@code d} when it is a NIC that names none (used for hot-plug too). */
  public static PciLayout assignOne(VmSpec spec, PciLayout layout, Device d, Set<String> taken) {
    if (!(d instanceof Nic n) || n.mac().isPresent() || layout.mac(n.id()).isPresent()) {
      return layout;
    }
    // the VM's own MACs; the host's (taken: lower or upper case) are asked per candidate, never copied: a host of
    // thousands of VMs costs a create a few lookups, not a copy of every MAC
    Set<String> own = new HashSet<>();
    layout.macs().values().forEach(m -> own.add(m.toLowerCase(Locale.ROOT)));
    spec.devices().stream().filter(x -> x instanceof Nic).map(x -> ((Nic) x).mac())
        .forEach(m -> m.ifPresent(v -> own.add(v.toLowerCase(Locale.ROOT))));
    return layout.withMac(n.id(), derive(spec.name(), n.id(),
        m -> own.contains(m) || taken.contains(m) || taken.contains(m.toUpperCase(Locale.ROOT))));
  }

  /** The first MAC of the chain for (vm, nic) that is neither in {@code avoid} nor in QEMU's default range. */
  public static String derive(String vm, String nic, Set<String> avoid) {
    return derive(vm, nic, avoid::contains);
  }

  private static String derive(String vm, String nic, java.util.function.Predicate<String> avoid) {
    for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
      String mac = candidate(vm, nic, attempt);
      if (!avoid.test(mac) && !mac.startsWith(QEMU_DEFAULTS)) {
        return mac;
      }
    }
    throw new IllegalStateException("no free MAC address for " + vm + "/" + nic + " after " + MAX_TRIES + " tries");
  }

  private static String candidate(String vm, String nic, int attempt) {
    byte[] h = sha256(vm + '\0' + nic + '\0' + attempt);
    HexFormat hex = HexFormat.of();
    return PREFIX + ":" + hex.toHexDigits(h[0]) + ":" + hex.toHexDigits(h[1]) + ":" + hex.toHexDigits(h[2]);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
