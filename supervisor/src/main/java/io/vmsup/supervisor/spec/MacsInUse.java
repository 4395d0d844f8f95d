package io.vmsup.supervisor.spec;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.VmHandle;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The MAC addresses the host's VMs use, read from their published views: the {@code mac} of each NIC of a spec and
 * the MACs the daemon assigned ({@code pciLayout.macs}). A new VM's or NIC's assigned MAC avoids all of them.
 */
public final class MacsInUse {

  private MacsInUse() {
  }

  /** Every MAC of the given VMs except those of VM {@code except} (its own are checked by the planner), lower case. */
  public static Set<String> of(Collection<VmHandle> vms, String except) {
    Set<String> out = new HashSet<>();
    for (VmHandle h : vms) {
      if (h.name().equals(except)) {
        continue;
      }
      JsonArray devices = h.spec() == null ? null : h.spec().getJsonArray("devices");
      if (devices != null) {
        for (Object d : devices) {
          if (d instanceof JsonObject o && o.getValue("mac") instanceof String mac) {
            out.add(mac.toLowerCase(Locale.ROOT));
          }
        }
      }
      JsonObject macs = h.pciLayout() == null ? null : h.pciLayout().getJsonObject("macs");
      if (macs != null) {
        macs.forEach(e -> out.add(String.valueOf(e.getValue()).toLowerCase(Locale.ROOT)));
      }
    }
    return out;
  }
}
