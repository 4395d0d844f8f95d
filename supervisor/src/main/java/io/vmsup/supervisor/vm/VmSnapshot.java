package io.vmsup.supervisor.vm;

import io.vertx.core.json.JsonArray;
import io.vmsup.supervisor.api.VmHandle;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A VM's entry in the daemon's shared table ({@link VmHandle}s that get/list read), rewritten on every change of the
 * view until the actor retires, and the marks only the view carries: the pass-through taint and whether QEMU answers.
 * Confined to the actor's context like {@link VmCore}, which builds the view.
 */
final class VmSnapshot {

  private final String name;
  private final Map<String, VmHandle> table;
  private final Supplier<VmHandle> view;
  /** Dangerous pass-through commands this VM received ({@code {"at","command","reason"}}), persisted. */
  private JsonArray taint = new JsonArray();
  /** False while the last probe saw QEMU stopped by a signal (SIGSTOP): shown as {@code responsive} in the view. */
  private boolean responsive = true;
  /** Set when the actor is undeployed: late callbacks must not resurrect the VM's entry. */
  private boolean retired;

  /** @param view builds the VM's current view (on the actor's context) */
  VmSnapshot(String name, Map<String, VmHandle> table, Supplier<VmHandle> view) {
    this.name = name;
    this.table = table;
    this.view = view;
  }

  /** Replaces this VM's entry in the shared table with its current view; nothing once retired. */
  void refresh() {
    if (!retired) {
      table.put(name, view.get());
    }
  }

  JsonArray taint() {
    return taint;
  }

  /** The whole taint record from now on (loaded, or grown by a dangerous command). */
  void tainted(JsonArray all) {
    taint = all;
    refresh();
  }

  boolean responsive() {
    return responsive;
  }

  /** Records whether QEMU answers (not stopped by a signal); true when that changed. */
  boolean responsive(boolean now) {
    if (responsive == now) {
      return false;
    }
    responsive = now;
    refresh();
    return true;
  }

  /** The actor is undeployed: nothing writes the entry any more. */
  void retire() {
    retired = true;
  }

  boolean isRetired() {
    return retired;
  }
}
