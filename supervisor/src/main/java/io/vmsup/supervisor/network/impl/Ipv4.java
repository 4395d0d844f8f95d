package io.vmsup.supervisor.network.impl;

import java.util.Optional;
import java.util.regex.Pattern;

/** IPv4 addresses as unsigned 32-bit values in a long, and the subnet arithmetic a network needs. */
final class Ipv4 {

  private static final Pattern DOTTED = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");

  private Ipv4() {
  }

  /** A dotted quad ({@code 10.0.0.1}, no leading zeros), or empty. */
  static Optional<Long> parse(String text) {
    if (text == null || !DOTTED.matcher(text).matches()) {
      return Optional.empty();
    }
    long v = 0;
    for (String part : text.split("\\.")) {
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        return Optional.empty();
      }
      v = v << 8 | octet;
    }
    return Optional.of(v);
  }

  static String format(long v) {
    return (v >> 24 & 255) + "." + (v >> 16 & 255) + "." + (v >> 8 & 255) + "." + (v & 255);
  }

  static long mask(int prefix) {
    return prefix == 0 ? 0 : 0xffffffffL << (32 - prefix) & 0xffffffffL;
  }

  /** A subnet: its network address and prefix length. */
  record Cidr(long network, int prefix) {

    /** {@code 10.0.0.0/24}, or empty when not that form. */
    static Optional<Cidr> parse(String text) {
      int slash = text == null ? -1 : text.indexOf('/');
      if (slash < 0 || !text.substring(slash + 1).matches("[0-9]{1,2}")) {
        return Optional.empty();
      }
      int prefix = Integer.parseInt(text.substring(slash + 1));
      return prefix > 32 ? Optional.empty() : Ipv4.parse(text.substring(0, slash)).map(a -> new Cidr(a, prefix));
    }

    long broadcast() {
      return network | ~mask(prefix) & 0xffffffffL;
    }

    boolean contains(long address) {
      return (address & mask(prefix)) == network;
    }

    /** An address of a host: inside, neither the network nor the broadcast address. */
    boolean hostAddress(long address) {
      return contains(address) && address != network && address != broadcast();
    }

    boolean overlaps(Cidr other) {
      int p = Math.min(prefix, other.prefix);
      return (network & mask(p)) == (other.network & mask(p));
    }

    String netmask() {
      return format(mask(prefix));
    }

    @Override
    public String toString() {
      return format(network) + "/" + prefix;
    }
  }
}
