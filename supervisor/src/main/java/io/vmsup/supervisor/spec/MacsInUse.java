package io.vmsup.supervisor.spec;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.VmHandle;
import java.util.AbstractSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MAC addresses the host's VMs use, read from their published views: the {@code mac} of each NIC of a spec and
 * the MACs the daemon assigned ({@code pciLayout.macs}). A new VM's or NIC's assigned MAC avoids all of them.
 *
 * <p>An index kept by the VM table as its entries change ({@link #change}), so a create or start asks it in constant
 * time instead of reading every VM's spec. Safe from any thread: each MAC's owners change atomically.
 */
public final class MacsInUse {

  /** MAC (lower case) → the VMs whose view names it. */
  private final Map<String, Set<String>> owners = new ConcurrentHashMap<>();

  /** The MACs of one view (its spec's NICs' {@code mac} and its layout's assigned ones), lower case. */
  public static Set<String> of(VmHandle h) {
    Set<String> out = new HashSet<>();
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
    return out.isEmpty() ? Set.of() : Set.copyOf(out);
  }

  /**
   * VM {@code vm}'s MACs were {@code before} and are {@code after} now. The caller serialises the changes of one VM
   * (the table does, per name); changes of different VMs may run at once.
   */
  public void change(String vm, Set<String> before, Set<String> after) {
    for (String mac : before) {
      if (!after.contains(mac)) {
        owners.computeIfPresent(mac, (k, names) -> {
          names.remove(vm);
          return names.isEmpty() ? null : names;
        });
      }
    }
    for (String mac : after) {
      if (!before.contains(mac)) {
        owners.compute(mac, (k, names) -> {
          Set<String> s = names == null ? ConcurrentHashMap.newKeySet() : names;
          s.add(vm);
          return s;
        });
      }
    }
  }

  /**
   * Every MAC in use except by VM {@code except} (null: by any VM), lower case: a live, read-only view whose
   * {@code contains} costs one lookup; iterating it walks the index.
   */
  public Set<String> except(String except) {
    return new AbstractSet<>() {
      @Override
      public boolean contains(Object mac) {
        Set<String> names = owners.get(mac);
        return names != null && names.stream().anyMatch(n -> !n.equals(except));
      }

      @Override
      public Iterator<String> iterator() {
        return owners.keySet().stream().filter(this::contains).iterator();
      }

      @Override
      public int size() {
        return (int) owners.keySet().stream().filter(this::contains).count();
      }
    };
  }
}
