package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The accelerator rule, main-RAM backends, sizes and the probe's environment override. */
class AccelAndMemoryRenderTest {

  private static final HostFacts KVM = new HostFacts(true, true, true, true);
  private static final HostFacts NO_KVM = new HostFacts(false, false, false, false);

  private static List<String> render(String json, HostFacts host) {
    return QemuArgv.render(GoldenCases.valid(json, json), RenderContext.of(host));
  }

  private static String after(List<String> argv, String flag) {
    return argv.get(argv.indexOf(flag) + 1);
  }

  @Test
  void autoUsesKvmOnlyWhenUsableAndHostCpuBecomesMaxUnderTcg() {
    String spec = "{\"name\": \"a\", \"cpu\": \"host\"}";
    assertThat(after(render(spec, KVM), "-accel")).isEqualTo("kvm");
    assertThat(after(render(spec, KVM), "-cpu")).isEqualTo("host");
    assertThat(after(render(spec, NO_KVM), "-accel")).isEqualTo("tcg");
    assertThat(after(render(spec, NO_KVM), "-cpu")).isEqualTo("max");
    assertThat(after(render("{\"name\": \"a\", \"cpu\": \"Skylake-Client\"}", NO_KVM), "-cpu"))
        .isEqualTo("Skylake-Client");
  }

  @Test
  void explicitAcceleratorIsRenderedAsAskedAndHostChecksFlagMissingKvm() {
    String spec = "{\"name\": \"a\", \"machine\": {\"accel\": \"kvm\"}, \"cpu\": \"host\"}";
    List<String> argv = render(spec, NO_KVM);
    assertThat(after(argv, "-accel")).isEqualTo("kvm");
    assertThat(after(argv, "-cpu")).isEqualTo("host");
    assertThat(HostChecks.check(GoldenCases.valid(spec, spec), NO_KVM)).extracting(Violation::path)
        .containsExactly("machine.accel");
    assertThat(HostChecks.check(GoldenCases.valid(spec, spec), KVM)).isEmpty();
    assertThat(after(render("{\"name\": \"a\", \"machine\": {\"accel\": \"tcg\"}}", KVM), "-accel"))
        .isEqualTo("tcg");
  }

  @Test
  void vhostNetIsAHostCheck() {
    String spec = "{\"name\": \"a\", \"devices\": [{\"kind\": \"nic\", \"id\": \"n\", \"backend\": \"tap\","
        + " \"ifname\": \"t0\", \"vhost\": true}]}";
    VmSpec vm = GoldenCases.valid(spec, spec);
    assertThat(HostChecks.check(vm, NO_KVM)).extracting(Violation::toString).containsExactly(
        "devices[0].vhost: /dev/vhost-net is absent on this host (QEMU 7.2 would abort); set vhost to false");
    assertThat(HostChecks.check(vm, KVM)).isEmpty();
  }

  @Test
  void mainRamBackendForHugepagesSharedAndPrealloc() {
    List<String> huge = render("{\"name\": \"a\", \"memory\": {\"size\": \"1G\", \"shared\": true},"
        + " \"knobs\": {\"hugepages\": true, \"prealloc\": true}}", KVM);
    assertThat(after(huge, "-machine")).isEqualTo("q35,memory-backend=vmsup-ram");
    assertThat(after(huge, "-object"))
        .isEqualTo("memory-backend-file,id=vmsup-ram,size=1G,mem-path=/dev/hugepages,share=on,prealloc=on");
    List<String> shared = render("{\"name\": \"a\", \"memory\": {\"size\": \"1536M\", \"shared\": true}}", KVM);
    assertThat(after(shared, "-object")).isEqualTo("memory-backend-memfd,id=vmsup-ram,size=1536M,share=on");
    assertThat(render("{\"name\": \"a\"}", KVM)).doesNotContain("-object");
    VmSpec hugeSpec = GoldenCases.valid("{\"name\": \"a\", \"knobs\": {\"hugepages\": true}}", "hugepages");
    assertThat(HostChecks.check(hugeSpec, NO_KVM)).extracting(Violation::path).containsExactly("knobs.hugepages");
  }

  @Test
  void sizesUseTheLargestExactSuffix() {
    assertThat(new Size(268_435_456).toQemu()).isEqualTo("256M");
    assertThat(new Size(1L << 40).toQemu()).isEqualTo("1T");
    assertThat(new Size(1L << 50).toQemu()).isEqualTo("1024T");
    assertThat(new Size(1536).toQemu()).isEqualTo("1536");
    assertThat(new Size(3 << 10).toQemu()).isEqualTo("3K");
    assertThat(new Size(0).toQemu()).isEqualTo("0");
  }

  @Test
  void probeHonoursTheAccelEnvironmentVariable() {
    assertThat(HostFacts.probe(Map.of("VMSUP_ACCEL", "kvm")).kvmUsable()).isTrue();
    assertThat(HostFacts.probe(Map.of("VMSUP_ACCEL", "tcg")).kvmUsable()).isFalse();
    assertThat(HostFacts.probe(Map.of("VMSUP_ACCEL", "TCG")).choose(Accel.AUTO)).isEqualTo(Accel.TCG);
  }
}
