package io.vmsup.config.impl;

import io.vmsup.config.HostForward;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** Parser of a {@code user} NIC's {@code hostForwards}; clashes inside the spec are {@link ForwardRules}'. */
final class ForwardParser {

  /** At most this many forwards per NIC (each is a listening socket in QEMU). */
  static final int MAX = 64;

  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

  private ForwardParser() {
  }

  static List<HostForward> forwards(Obj o) {
    List<HostForward> out = new ArrayList<>();
    List<Obj.Elem> elems = o.list("hostForwards");
    o.problems().check(elems.size() <= MAX, o.at("hostForwards"), "at most " + MAX + " forwards, not "
        + elems.size());
    for (Obj.Elem e : elems) {
      Obj.of(e.node(), e.path(), o.problems()).flatMap(ForwardParser::forward).ifPresent(out::add);
    }
    return out;
  }

  private static Optional<HostForward> forward(Obj f) {
    Problems p = f.problems();
    boolean protoGiven = p.check(f.has("proto"), f.at("proto"), "is required: \"tcp\" or \"udp\"");
    Optional<HostForward.Proto> proto = f.optEnum("proto", HostForward.Proto.class);
    Optional<String> address = f.optString("hostAddress");
    address.ifPresent(a -> p.check(IPV4.matcher(a).matches(), f.at("hostAddress"),
        "must be an IPv4 address of the host like 127.0.0.1 (absent: every address), not \"" + a + "\""));
    OptionalInt hostPort = port(f, "hostPort");
    OptionalInt guestPort = port(f, "guestPort");
    f.end();
    if (!protoGiven || proto.isEmpty() || hostPort.isEmpty() || guestPort.isEmpty()
        || address.isPresent() && !IPV4.matcher(address.get()).matches()) {
      return Optional.empty();
    }
    return Optional.of(new HostForward(proto.get(), address, hostPort.getAsInt(), guestPort.getAsInt()));
  }

  private static OptionalInt port(Obj f, String key) {
    f.problems().check(f.has(key), f.at(key), "is required: a port from 1 to 65535");
    return f.optInt(key, 1, 65535);
  }
}
