package io.vmsup.config.impl;

import io.vmsup.config.HostForward;
import io.vmsup.config.Nic;
import java.util.ArrayList;
import java.util.List;

/**
 * The host forwards of one spec must not want the same host socket twice (QEMU would fail to start): each clash is a
 * violation at the later forward's {@code hostPort}, naming the earlier one.
 */
final class ForwardRules {

  private record Seen(HostForward forward, String path) {
  }

  private final List<Seen> seen = new ArrayList<>();
  private final Problems p;

  ForwardRules(Problems p) {
    this.p = p;
  }

  void check(String nicPath, Nic n) {
    for (int j = 0; j < n.hostForwards().size(); j++) {
      HostForward f = n.hostForwards().get(j);
      String path = nicPath + ".hostForwards[" + j + "]";
      for (Seen s : seen) {
        if (s.forward().clashes(f)) {
          p.add(path + ".hostPort", "host port " + f.describe() + " is already forwarded by " + s.path() + " ("
              + s.forward().describe() + ")");
          break;
        }
      }
      seen.add(new Seen(f, path));
    }
  }
}
