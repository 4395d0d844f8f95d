package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.Device;
import io.vmsup.config.Nic;
import io.vmsup.config.PciAddress;
import io.vmsup.config.PciLayout;
import io.vmsup.config.PciPlan;
import io.vmsup.config.PciPlans;
import io.vmsup.qmp.QmpCommands;
import io.vmsup.supervisor.link.QmpLink;
import io.vmsup.supervisor.spec.SpecParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A VM created before PCI layouts were stored has none: its first start renders no addresses (QEMU places devices
 * in argument order, as it always did), and this records where QEMU put each PCI device, read from QOM
 * ({@code parent_bus}, {@code addr}: {@code query-pci} lists devices behind bridges only after the firmware has
 * numbered the buses), as the VM's layout. From then on every start renders those addresses, so the guest sees
 * nothing move when devices are added or removed. The same for the MACs QEMU gave NICs without one: recorded once,
 * rendered from then on.
 */
final class LayoutRecorder {

  private LayoutRecorder() {
  }

  /**
   * Before a start: gives an address to every PCI device of the spec that the stored layout lacks (a spec edited by
   * an older daemon, or a crash between the layout's and the spec's writes), keeping every other address, and stores
   * the result. A layout that cannot be completed fails the start with the reasons.
   */
  static Future<Void> completeBeforeStart(VmCore vm) {
    if (vm.definition().layout().isEmpty()) {
      return Future.succeededFuture();
    }
    PciLayout stored = vm.definition().layout().get();
    PciPlan plan = PciPlans.complete(vm.definition().spec(), stored, vm.deps().table().macsInUse(vm.name()));
    if (!plan.ok()) {
      return Future.failedFuture(SpecParser.invalid(plan.violations()));
    }
    if (plan.layout().equals(stored)) {
      return Future.succeededFuture();
    }
    vm.redefine(vm.definition().withLayout(plan.layout()));
    return vm.record().layout(PciPlans.toJson(plan.layout()));
  }

  /**
   * Records the layout when the VM has none, and the MACs QEMU gave its NICs when the layout is from before MACs
   * were stored; a failure is logged and retried at the next start.
   */
  static Future<Void> recordIfMissing(VmCore vm, QmpLink link) {
    if (vm.definition().layout().isPresent() && vm.definition().layout().get().macsFromQemu()) {
      return recordMacs(vm, link, vm.definition().layout().get());
    }
    if (vm.definition().layout().isPresent() || vm.definition().spec().machine().rootBus().isEmpty()) {
      return Future.succeededFuture();
    }
    Map<String, PciAddress> found = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (String id : PciPlans.pciDeviceIds(vm.definition().spec())) {
      chain = chain.compose(v -> qomGet(vm, link, id, "parent_bus")
          .compose(bus -> qomGet(vm, link, id, "addr").map(addr -> {
            found.put(id, PciAddress.fromQom(String.valueOf(bus), ((Number) addr).longValue()));
            return null;
          })));
    }
    return chain.compose(v -> {
      VmCore.LOG.info(vm.name() + ": recorded the PCI layout QEMU made: " + found);
      return recordMacs(vm, link, new PciLayout(found, List.of(), Map.of(), true));
    }).recover(t -> {
      VmCore.LOG.warning(vm.name() + ": could not record its PCI layout (retried at the next start): " + t);
      return Future.succeededFuture();
    });
  }

  /**
   * Reads the MAC QEMU gave every NIC that has none in the spec or the layout (QOM property {@code mac}) and stores
   * the layout with them: from then on they are rendered, so the guest keeps seeing the MACs it always saw.
   */
  private static Future<Void> recordMacs(VmCore vm, QmpLink link, PciLayout layout) {
    Map<String, String> found = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (Device d : vm.definition().spec().devices()) {
      if (d instanceof Nic n && n.mac().isEmpty() && layout.mac(n.id()).isEmpty()) {
        chain = chain.compose(v -> qomGet(vm, link, n.id(), "mac").map(mac -> {
          found.put(n.id(), String.valueOf(mac));
          return null;
        }));
      }
    }
    return chain.compose(v -> {
      PciLayout recorded = layout.withRecordedMacs(found);
      vm.redefine(vm.definition().withLayout(recorded));
      VmCore.LOG.info(vm.name() + ": recorded the MACs QEMU gave its NICs: " + found);
      return vm.record().layout(PciPlans.toJson(recorded));
    }).recover(t -> {
      VmCore.LOG.warning(vm.name() + ": could not record its NICs' MACs (retried at the next start): " + t);
      return Future.succeededFuture();
    });
  }

  private static Future<Object> qomGet(VmCore vm, QmpLink link, String id, String property) {
    return link.execute(QmpCommands.qomGet("/machine/peripheral/" + id, property), vm.options().commandTimeout());
  }
}
