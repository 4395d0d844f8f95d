package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Disks the daemon makes ({@code image}/{@code size} instead of {@code file}): typed, written back as given, rendered
 * below the VM's directory (relative in the portable form), and every bad combination refused with its JSON path.
 */
class ManagedDiskSpecTest {

  private static final String SPEC = "{\"name\": \"a\", \"machine\": {\"type\": \"q35\"}, \"devices\": [%s]}";

  private static SpecResult parse(String disk) {
    return VmSpecs.parse(String.format(SPEC, disk));
  }

  private static Disk disk(String json) {
    SpecResult r = parse(json);
    assertThat(r).as(r.toString()).isInstanceOf(SpecResult.Valid.class);
    return (Disk) ((SpecResult.Valid) r).spec().devices().get(0);
  }

  private static List<String> problems(String json) {
    SpecResult r = parse(json);
    assertThat(r).as(json).isInstanceOf(SpecResult.Invalid.class);
    return ((SpecResult.Invalid) r).violations().stream().map(Violation::toString).toList();
  }

  @Test
  void imageAndSizeAreTypedAndRenderedBelowTheVmDirectory() {
    Disk d = disk("{\"kind\": \"disk\", \"id\": \"d0\", \"image\": \"debian-12\", \"size\": \"20G\"}");
    assertThat(d.managed()).isTrue();
    assertThat(d.image()).contains("debian-12");
    assertThat(d.size()).contains(new Size(20L << 30));
    assertThat(d.format()).isEqualTo(DiskFormat.QCOW2);
    VmSpec spec = ((SpecResult.Valid) parse("{\"kind\": \"disk\", \"id\": \"d0\", \"size\": \"1G\"}")).spec();
    HostFacts host = HostFacts.probe(Map.of("VMSUP_ACCEL", "tcg"));
    Path dir = Path.of("/var/lib/vmsup/vms/a");
    assertThat(String.join(" ", QemuArgv.render(spec, RenderContext.launch("qemu", host, RuntimeArgs.in(dir)))))
        .contains("driver=qcow2,node-name=d0.blk,read-only=off,file.driver=file,file.filename=" + dir
            + "/disks/d0.qcow2");
    assertThat(String.join(" ", QemuArgv.render(spec, RenderContext.portable(host))))
        .contains("file.filename=disks/d0.qcow2");
    assertThat(HostPath.of(spec)).isEmpty();
  }

  @Test
  void writtenBackAsGiven() {
    String json = String.format(SPEC, "{\"kind\": \"disk\", \"id\": \"d0\", \"image\": \"base\", \"size\": 1048576}");
    EditableSpec spec = EditableSpec.parse(json).orElseThrow();
    Disk d = (Disk) spec.spec().devices().get(0);
    EditableSpec again = ((SpecEdit.Applied) spec.withoutDevice("d0")).result().withDevice(d).orElseThrow();
    assertThat(again.spec().devices().get(0)).isEqualTo(d);
    assertThat(again.json()).contains("\"image\"").doesNotContain("\"file\"");
  }

  @Test
  void badCombinationsAreRefusedWithTheirPath() {
    assertThat(problems("{\"kind\": \"disk\", \"id\": \"d0\"}")).anyMatch(p -> p.startsWith("devices[0].file"));
    assertThat(problems("{\"kind\": \"disk\", \"id\": \"d0\", \"image\": \"b\", \"file\": \"/x\"}"))
        .anyMatch(p -> p.startsWith("devices[0].file") && p.contains("not with \"image\""));
    assertThat(problems("{\"kind\": \"disk\", \"id\": \"d0\", \"image\": \"a/b\"}"))
        .anyMatch(p -> p.startsWith("devices[0].image"));
    assertThat(problems("{\"kind\": \"disk\", \"id\": \"d0\", \"size\": \"65T\"}"))
        .anyMatch(p -> p.startsWith("devices[0].size"));
    assertThat(problems("{\"kind\": \"disk\", \"id\": \"d0\", \"size\": \"1G\", \"format\": \"raw\"}"))
        .anyMatch(p -> p.startsWith("devices[0].format"));
    assertThat(problems("{\"kind\": \"disk\", \"id\": \"d0\", \"image\": 7}"))
        .anyMatch(p -> p.startsWith("devices[0].image"));
  }
}
