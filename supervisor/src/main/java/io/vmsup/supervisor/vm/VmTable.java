package io.vmsup.supervisor.vm;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.VmHandle;
import io.vmsup.supervisor.spec.MacsInUse;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The daemon's table of VM views ({@link VmHandle}s that get and list read), owned by the registry: each actor
 * writes its own VM's entry as its view changes, the registry removes it with the VM. It keeps, as the entries
 * change, what would otherwise be recomputed from every VM per request: the MACs in use ({@link #macsInUse}) and each
 * view's JSON text for the list ({@link #list}), encoded the first time a list needs it and dropped with the view.
 * Safe from any thread; the changes of one VM are applied in order (one name is changed atomically).
 */
public final class VmTable extends AbstractMap<String, VmHandle> {

  private static final byte[] OPEN = "{\"vms\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] CLOSE = "]}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final Map<String, Row> rows = new ConcurrentHashMap<>();
  private final MacsInUse macs = new MacsInUse();
  private final Map<String, VmQueries> queries = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();

  /** One VM's view, its MACs, and its JSON text once a list asked for it. */
  private static final class Row {
    final VmHandle view;
    final Set<String> macs;
    private volatile Buffer json;

    Row(VmHandle view, Set<String> macs) {
      this.view = view;
      this.macs = macs;
    }

    Buffer json() {
      Buffer b = json;
      if (b == null) {
        b = view.toJson().toBuffer();
        json = b;
      }
      return b;
    }
  }

  @Override
  public VmHandle put(String name, VmHandle view) {
    Row[] was = new Row[1];
    rows.compute(name, (k, before) -> {
      was[0] = before;
      // a view with the same spec and layout objects names the same MACs (most changes are of the state)
      Set<String> now = before != null && before.view.spec() == view.spec()
          && before.view.pciLayout() == view.pciLayout() ? before.macs : MacsInUse.of(view);
      macs.change(name, before == null ? Set.of() : before.macs, now);
      return new Row(view, now);
    });
    changes.incrementAndGet();
    return was[0] == null ? null : was[0].view;
  }

  @Override
  public VmHandle remove(Object name) {
    if (!(name instanceof String key)) {
      return null;
    }
    Row[] was = new Row[1];
    rows.computeIfPresent(key, (k, before) -> {
      was[0] = before;
      macs.change(k, before.macs, Set.of());
      return null;
    });
    if (was[0] != null) {
      changes.incrementAndGet();
    }
    return was[0] == null ? null : was[0].view;
  }

  @Override
  public VmHandle get(Object name) {
    Row r = rows.get(name);
    return r == null ? null : r.view;
  }

  @Override
  public boolean containsKey(Object name) {
    return rows.containsKey(name);
  }

  @Override
  public int size() {
    return rows.size();
  }

  @Override
  public void clear() {
    for (String name : List.copyOf(rows.keySet())) {
      remove(name);
    }
  }

  /** The names, read-only (weakly consistent while VMs come and go). */
  @Override
  public Set<String> keySet() {
    return Collections.unmodifiableSet(rows.keySet());
  }

  /** The views, read-only (weakly consistent while VMs come and go). */
  @Override
  public Collection<VmHandle> values() {
    return new AbstractCollection<>() {
      @Override
      public Iterator<VmHandle> iterator() {
        return rows.values().stream().map(r -> r.view).iterator();
      }

      @Override
      public int size() {
        return rows.size();
      }
    };
  }

  @Override
  public Set<Entry<String, VmHandle>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, VmHandle>> iterator() {
        return rows.entrySet().stream().<Entry<String, VmHandle>>map(e -> Map.entry(e.getKey(), e.getValue().view))
            .iterator();
      }

      @Override
      public int size() {
        return rows.size();
      }
    };
  }

  /**
   * How many times a view was put or removed so far: a reader that walks the whole table (the console, each second)
   * need not walk it again while this has not moved. Read it before the walk: a change during the walk moves it.
   */
  public long changes() {
    return changes.get();
  }

  /** The door of VM {@code name}'s actor for the daemon's own QMP queries ({@link VmQueries}); null when none. */
  public VmQueries queries(String name) {
    return queries.get(name);
  }

  /** The actor of {@code name} answers queries through {@code door} (replacing an older actor's). */
  void openQueries(String name, VmQueries door) {
    queries.put(name, door);
  }

  /** The actor retired: its door goes, unless a newer actor of the same name opened its own meanwhile. */
  void closeQueries(String name, VmQueries door) {
    queries.remove(name, door);
  }

  /** Every MAC the VMs' views name except VM {@code except}'s (null: all), lower case; a live read-only view. */
  public Set<String> macsInUse(String except) {
    return macs.except(except);
  }

  /**
   * The list reply's JSON text, {@code {"vms":[VIEW,...]}}: the views whose spec passes {@code specFilter}, by name,
   * each exactly {@link VmHandle#toJson()} encoded; only views new since the last list are encoded.
   */
  public Buffer list(Predicate<JsonObject> specFilter) {
    List<Row> chosen = rows.values().stream().filter(r -> specFilter.test(r.view.spec()))
        .sorted((a, b) -> a.view.name().compareTo(b.view.name())).toList();
    int size = OPEN.length + CLOSE.length + chosen.size();
    Buffer[] parts = new Buffer[chosen.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = chosen.get(i).json();
      size += parts[i].length();
    }
    Buffer out = Buffer.buffer(size).appendBytes(OPEN);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        out.appendByte((byte) ',');
      }
      out.appendBuffer(parts[i]);
    }
    return out.appendBytes(CLOSE);
  }
}
