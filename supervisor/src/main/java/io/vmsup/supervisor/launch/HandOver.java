package io.vmsup.supervisor.launch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vmsup.config.Device;
import io.vmsup.config.HotplugPlan;
import io.vmsup.config.Nic;
import io.vmsup.config.PciLayout;
import io.vmsup.config.QmpHotplug;
import io.vmsup.config.VmSpec;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpFd;
import io.vmsup.qmp.QmpFdCommands;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The daemon's hand-over of host descriptors to QEMU. QEMU never opens a tap or macvtap itself: the launch form
 * leaves such NICs out and starts QEMU paused ({@code -S}); once QMP answers, the daemon opens each NIC's interface
 * ({@link TapDevices}), passes every descriptor with SCM_RIGHTS under the NIC's {@link Nic#descriptorNames()}
 * ({@code getfd}, one at a time), plugs the NIC with the same plan a live attach uses ({@code netdev_add} with those
 * names, then {@code device_add} at its layout address) and closes its own copies; the start flow then sends
 * {@code cont} (unless the spec starts paused). A live attach of such a NIC passes its descriptors the same way
 * before its plan runs.
 *
 * <p>The start flow opens every NIC's descriptors before it spawns QEMU ({@link #open}), so an interface that
 * cannot be opened fails the start without a QEMU ever running, and hands them over as {@link Prepared} once QMP
 * answers: prepared descriptors are passed instead of opening the NIC's {@code ifname}, and stay the caller's to
 * close ({@link Prepared#close}). A live attach opens its NIC at the time of the attach ({@link Prepared#none}).
 */
public final class HandOver {

  /** The VM's QMP connection as the hand-over uses it; called on the VM's context. */
  public interface Qmp {
    /** {@code getfd} of {@code fd} under {@code name} (SCM_RIGHTS, one descriptor on the wire at a time). */
    Future<Void> passFd(String name, QmpFd fd);

    /** Any other typed command; its decoded result. */
    <T> Future<T> execute(QmpCommand<T> command);
  }

  /**
   * Descriptors opened by someone else, by NIC id, one per queue in queue order; the owner closes them after the
   * hand-over's future completes (QEMU has its own copies by then).
   */
  public record Prepared(Map<String, List<QmpFd>> byNic, Optional<QmpFd> incoming) {
    public Prepared {
      byNic = Map.copyOf(byNic);
    }

    /** NIC descriptors only. */
    public Prepared(Map<String, List<QmpFd>> byNic) {
      this(byNic, Optional.empty());
    }

    /** Nothing prepared: every NIC's interface is opened by name. */
    public static Prepared none() {
      return new Prepared(Map.of());
    }

    /** True when nothing is held. */
    public boolean isEmpty() {
      return byNic.isEmpty() && incoming.isEmpty();
    }

    /** Closes this process's copies of every descriptor; never throws. Blocking. */
    public void close() {
      byNic.values().forEach(fds -> TapDevices.close(fds.stream().map(QmpFd::intValue).toList()));
      incoming.ifPresent(fd -> TapDevices.close(List.of(fd.intValue())));
    }
  }

  /**
   * Opens every handed-over NIC of {@code spec} ({@link TapDevices#open}) and the file of an incoming migration
   * ({@link VmSpec#incomingFile()}), before QEMU is spawned. Blocking.
   *
   * @throws IOException naming the first interface that cannot be opened (the ones opened before are closed)
   */
  public static Prepared open(VmSpec spec) throws IOException {
    Map<String, List<QmpFd>> byNic = new LinkedHashMap<>();
    try {
      for (Nic nic : nics(spec)) {
        byNic.put(nic.id(), TapDevices.open(nic).stream().map(QmpFd::ofRaw).toList());
      }
      Optional<QmpFd> incoming = Optional.empty();
      if (spec.incomingFile().isPresent()) {
        incoming = Optional.of(QmpFd.ofRaw(TapDevices.openForReading(Path.of(spec.incomingFile().get()))));
      }
      return new Prepared(byNic, incoming);
    } catch (IOException | RuntimeException e) {
      new Prepared(byNic).close();
      throw e;
    }
  }

  private HandOver() {
  }

  /** The spec's NICs that take a hand-over, in spec order. */
  public static List<Nic> nics(VmSpec spec) {
    List<Nic> out = new ArrayList<>();
    for (Device d : spec.devices()) {
      if (d instanceof Nic n && n.handedOver()) {
        out.add(n);
      }
    }
    return out;
  }

  /**
   * Plugs every handed-over NIC of a QEMU started paused, one after the other.
   *
   * @return the commands run, in order; fails at the first failing step (the start then fails and QEMU is killed)
   */
  public static Future<JsonArray> plugAll(Vertx vertx, Qmp qmp, VmSpec spec, PciLayout layout, Prepared prepared) {
    List<String> done = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Nic nic : nics(spec)) {
      chain = chain.compose(v -> pass(vertx, qmp, nic, prepared))
          .compose(names -> {
            names.forEach(n -> done.add("getfd " + n));
            HotplugPlan plan = QmpHotplug.plan(nic, layout);
            // names netdev_add did not take (it failed before) are closed in QEMU
            return QmpSteps.inOrder(qmp::execute, plan.steps(), done).recover(t -> closeAll(qmp, names)
                .transform(x -> Future.<Void>failedFuture(t)));
          });
    }
    return chain.map(v -> new JsonArray(done));
  }

  /**
   * Opens (on a worker) or takes the prepared descriptors of one NIC and passes them under its descriptor names.
   * When a pass fails, the names passed already are closed in QEMU ({@code closefd}); the daemon's own copies are
   * always closed.
   *
   * @return the names passed
   */
  public static Future<List<String>> pass(Vertx vertx, Qmp qmp, Nic nic, Prepared prepared) {
    List<QmpFd> given = prepared.byNic().get(nic.id());
    Future<List<Integer>> opened = given != null ? Future.succeededFuture(List.of())
        : vertx.executeBlocking(() -> TapDevices.open(nic), false);
    return opened.compose(own -> {
      List<QmpFd> fds = given != null ? given : own.stream().map(QmpFd::ofRaw).toList();
      List<String> names = nic.descriptorNames();
      if (fds.size() != names.size()) {
        return Future.failedFuture(new IllegalArgumentException("NIC " + nic.id() + " needs " + names.size()
            + " descriptors (one per queue), not " + fds.size()));
      }
      List<String> passed = new ArrayList<>();
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < fds.size(); i++) {
        String name = names.get(i);
        QmpFd fd = fds.get(i);
        chain = chain.compose(v -> qmp.passFd(name, fd)).onSuccess(v -> passed.add(name));
      }
      return chain.<List<String>>map(v -> names)
          .recover(t -> closeAll(qmp, passed).transform(x -> Future.<List<String>>failedFuture(t)))
          .onComplete(ar -> vertx.executeBlocking(() -> {
            TapDevices.close(own);
            return null;
          }, false));
    });
  }

  /** {@code closefd} for names QEMU still holds (a plug that failed before {@code netdev_add} took them). */
  public static Future<Void> closeAll(Qmp qmp, List<String> names) {
    Future<Void> chain = Future.succeededFuture();
    for (String name : names) {
      chain = chain.compose(v -> qmp.execute(QmpFdCommands.closefd(name))
          .<Void>mapEmpty().otherwise(t -> null));
    }
    return chain;
  }
}
