package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Descriptor numbers are the daemon's, never the user's: a spec naming them is refused; tap and macvtap NICs are
 * handed their descriptors by the daemon (left out of the launch form, which starts paused) and rendered for a
 * hand-run QEMU in the portable form.
 */
class HandOverSpecTest {

  private static final HostFacts HOST = new HostFacts(false, false, false, false);

  private static Violation only(String json) {
    List<Violation> v = ValidationTest.violations(json);
    assertThat(v).hasSize(1);
    return v.get(0);
  }

  @Test
  void userWrittenDescriptorNumbersAreRefusedWithTheirPath() {
    Violation fds = only("""
        {"name": "a", "devices": [{"kind": "nic", "id": "n", "backend": "tap", "ifname": "t0", "fds": [3]}]}""");
    assertThat(fds.path()).isEqualTo("devices[0].fds");
    assertThat(fds.message()).contains("daemon's own descriptors").contains("ifname");
    assertThat(only("""
        {"name": "a", "devices": [{"kind": "nic", "id": "n", "backend": "macvtap", "ifname": "m0", "vhost": true,
         "vhostFds": [7]}]}""").path()).isEqualTo("devices[0].vhostFds");
    // whatever its type, the field is refused for what it is
    assertThat(only("""
        {"name": "a", "devices": [{"kind": "nic", "id": "n", "backend": "tap", "ifname": "t0", "fds": "0"}]}""")
        .path()).isEqualTo("devices[0].fds");
    Violation incoming = only("{\"name\": \"a\", \"incoming\": \"fd:0\"}");
    assertThat(incoming.path()).isEqualTo("incoming");
    assertThat(incoming.message()).contains("daemon's own descriptor").contains("defer");
    assertThat(VmSpecs.parse("{\"name\": \"a\", \"incoming\": \"defer\"}")).isInstanceOf(SpecResult.Valid.class);
  }

  @Test
  void aHandedOverNicNeedsABusThatTakesHotplug() {
    assertThat(only("""
        {"name": "a", "devices": [{"kind": "nic", "id": "n", "backend": "tap", "ifname": "t0", "bus": "pcie.0"}]}""")
        .path()).isEqualTo("devices[0].bus");
    assertThat(only("""
        {"name": "a", "devices": [{"kind": "nic", "id": "n", "backend": "tap", "ifname": "t0", "addr": "05"}]}""")
        .path()).isEqualTo("devices[0].addr");
    assertThat(only("""
        {"name": "a", "machine": {"type": "microvm"},
         "devices": [{"kind": "nic", "id": "n", "backend": "macvtap", "ifname": "m0"}]}""").message())
        .contains("q35 or pc");
    assertThat(VmSpecs.parse("""
        {"name": "a", "machine": {"type": "pc"},
         "devices": [{"kind": "nic", "id": "n", "backend": "tap", "ifname": "t0", "addr": "05"}]}"""))
        .isInstanceOf(SpecResult.Valid.class);
  }

  @Test
  void theLaunchFormLeavesHandedOverNicsToQmpAndStartsPaused() {
    VmSpec spec = GoldenCases.valid("""
        {"name": "a", "machine": {"hotplugPorts": 0}, "devices": [
          {"kind": "nic", "id": "n", "backend": "tap", "ifname": "t0"},
          {"kind": "nic", "id": "u", "backend": "user"}]}""", "spec");
    PciPlan plan = PciPlans.create(spec);
    assertThat(plan.violations()).isEmpty();
    // its own root port, the only one (hotplugPorts 0), with the NIC in its slot 0
    assertThat(plan.layout().ports()).hasSize(1);
    assertThat(plan.layout().address("n")).contains(new PciAddress(plan.layout().ports().get(0).id(),
        new PciSlot(0, 0)));
    List<String> argv = QemuArgv.render(spec, RenderContext.launch("qemu", HOST, RuntimeArgs.in(Path.of("/v"))),
        plan.layout());
    assertThat(String.join(" ", argv)).doesNotContain("ifname").doesNotContain("id=n,").contains("id=u.net");
    assertThat(argv).endsWith("-S");
    HotplugPlan qmp = QmpHotplug.plan(spec.device("n").orElseThrow(), plan.layout());
    assertThat(qmp.steps().get(0).arguments()).containsEntry("fd", "n.fd0");
    assertThat(qmp.steps().get(1).arguments()).containsEntry("bus", plan.layout().ports().get(0).id());
  }

  @Test
  void thePortableFormOpensTapsByNameAndReadsMacvtapsFromDescriptorsThreeOn() {
    VmSpec spec = GoldenCases.valid("""
        {"name": "a", "devices": [
          {"kind": "nic", "id": "m1", "backend": "macvtap", "ifname": "mv1", "queues": 2},
          {"kind": "nic", "id": "t", "backend": "tap", "ifname": "t0"},
          {"kind": "nic", "id": "m2", "backend": "macvtap", "ifname": "mv2"}]}""", "spec");
    List<String> argv = QemuArgv.render(spec, RenderContext.portable(HOST));
    assertThat(argv).contains("tap,id=m1.net,fds=3:4,vhost=off", "tap,id=m2.net,fd=5,vhost=off",
        "tap,id=t.net,ifname=t0,script=no,downscript=no,vhost=off");
    assertThat(argv).doesNotContain("-S");
  }

  @Test
  void anIncomingFileIsHandedOverAfterAStartThatWaitsDeferred() {
    VmSpec spec = GoldenCases.valid("{\"name\": \"a\", \"incoming\": \"file:/v/state,x.bin\"}", "spec");
    assertThat(spec.incomingFile()).contains("/v/state,x.bin");
    List<String> launch = QemuArgv.render(spec, RenderContext.launch("qemu", HOST, RuntimeArgs.in(Path.of("/v"))));
    assertThat(launch).endsWith("-S", "-incoming", "defer").doesNotContain("/v/state,x.bin");
    List<String> portable = QemuArgv.render(spec, RenderContext.portable(HOST));
    assertThat(portable).endsWith("-incoming", "defer").doesNotContain("-S");
    assertThat(HostPath.of(spec)).anyMatch(h -> h.at().equals("incoming") && h.path().equals("/v/state,x.bin"));
    assertThat(VmSpecs.parse("{\"name\": \"a\", \"incoming\": \"tcp:0:4444\"}")).isInstanceOf(SpecResult.Valid.class);
    for (String bad : new String[] {"file:relative", "file:", "exec:cat /x"}) {
      Violation v = only("{\"name\": \"a\", \"incoming\": \"" + bad + "\"}");
      assertThat(v.path()).as(bad).isEqualTo("incoming");
      assertThat(v.message()).contains("file:/PATH");
    }
    assertThat(only("{\"name\": \"a\", \"incoming\": \"file:/a\\nb\"}").path()).isEqualTo("incoming");
  }
}
