package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The edit API: an edited spec passes exactly the validation of a new spec, with paths in the edited spec. */
class EditableSpecTest {

  private static final String BASE = """
      {"name": "ed", "machine": {"type": "q35", "accel": "tcg"}, "smp": {"cpus": 1, "maxCpus": 2},
       "devices": [{"kind": "iothread", "id": "io0"},
                   {"kind": "disk", "id": "root", "file": "/var/lib/vmsup/root.raw", "iothread": "io0"}]}""";

  private static EditableSpec base() {
    return EditableSpec.parse(BASE).orElseThrow();
  }

  private static List<Violation> refused(SpecEdit edit) {
    assertThat(edit).isInstanceOf(SpecEdit.Refused.class);
    return ((SpecEdit.Refused) edit).violations();
  }

  @Test
  void addsADeviceGivenAsJsonAndKeepsTheOriginalUntouched() {
    EditableSpec before = base();
    EditableSpec after = before.withDevice("""
        {"kind": "nic", "id": "n0", "backend": "user", "mac": "52:54:00:00:00:01"}""").orElseThrow();
    assertThat(after.spec().devices()).hasSize(3);
    assertThat(after.spec().device("n0")).get().isInstanceOf(Nic.class);
    assertThat(before.spec().devices()).hasSize(2);
    assertThat(before.json()).isEqualTo(BASE);
    // the result is what the one parser makes of the edited text
    assertThat(((SpecResult.Valid) VmSpecs.parse(after.json())).spec()).isEqualTo(after.spec());
  }

  @Test
  void aBadNewDeviceIsRefusedWithEveryProblemAtItsPath() {
    List<Violation> v = refused(base().withDevice("""
        {"kind": "disk", "id": "root", "file": "relative.raw", "aio": "native", "size": 3}"""));
    assertThat(v).extracting(Violation::path)
        .contains("devices[2].file", "devices[2].aio", "devices[2].size", "devices[2].id");
  }

  @Test
  void hostileDeviceTextIsRefusedNotThrown() {
    assertThat(refused(base().withDevice("{\"kind\": \"disk\", \"kind\": \"nic\"}")).get(0).path())
        .isEqualTo("devices[2]");
    assertThat(refused(base().withDevice("[1, 2]")).get(0).message()).contains("an array");
    assertThat(refused(base().withDevice("")).get(0).path()).isEqualTo("devices[2]");
    assertThat(refused(base().withDevice((String) null)).get(0).path()).isEqualTo("devices[2]");
    assertThat(refused(base().withDevice("{\"kind\": \"toaster\", \"id\": \"t\"}")).get(0).path())
        .isEqualTo("devices[2].kind");
  }

  @Test
  void removingADeviceAnotherOneNeedsIsRefused() {
    List<Violation> v = refused(base().withoutDevice("io0"));
    assertThat(v).extracting(Violation::path).containsExactly("devices[0].iothread");
    assertThat(refused(base().withoutDevice("nope")).get(0)).isEqualTo(
        new Violation("devices", "has no device with id \"nope\""));
    EditableSpec without = base().withoutDevice("root").orElseThrow().withoutDevice("io0").orElseThrow();
    assertThat(without.spec().devices()).isEmpty();
  }

  @Test
  void cpusFollowTheSmpRules() {
    EditableSpec two = base().withOneMoreCpu().orElseThrow();
    assertThat(two.spec().smp().cpus()).isEqualTo(2);
    assertThat(two.spec().smp().maxCpus()).hasValue(2);
    assertThat(refused(two.withOneMoreCpu())).extracting(Violation::path).containsExactly("smp.maxCpus");
    assertThat(refused(base().withOneCpuLess())).extracting(Violation::path).containsExactly("smp.cpus");
    EditableSpec bare = EditableSpec.parse("{\"name\": \"bare\"}").orElseThrow();
    // no smp section: one is made; without maxCpus the start count is free
    assertThat(bare.withOneMoreCpu().orElseThrow().spec().smp().cpus()).isEqualTo(2);
    assertThat(refused(bare.withCpus(0))).extracting(Violation::path).containsExactly("smp.cpus");
    assertThat(bare.withCpus(1).orElseThrow().spec()).isEqualTo(bare.spec());
  }

  @Test
  void typedDisksAndNicsAreValidatedLikeJsonOnes() {
    Disk bad = new Disk("d1", "relative.raw", DiskFormat.QCOW2, Disk.Model.SCSI_HD, Optional.empty(), false,
        Disk.Cache.NONE, Disk.Aio.NATIVE, Optional.empty(), Optional.empty(), OptionalInt.empty(), false,
        PciOptions.none());
    assertThat(refused(base().withDisk(bad))).extracting(Violation::path)
        .containsExactlyInAnyOrder("devices[2].file", "devices[2].bus");
    Nic nic = new Nic("n1", Nic.Backend.TAP, Nic.Model.E1000E, Optional.of("52:54:00:00:00:02"),
        Optional.of("tap7"), false, 1, Optional.empty(), Optional.empty(), OptionalInt.of(3),
        PciOptions.none());
    assertThat(base().withNic(nic).orElseThrow().spec().device("n1")).contains(nic);
    assertThatThrownBy(() -> base().withDevice(new Iothread("io1"))).isInstanceOf(IllegalArgumentException.class);
  }

  /** Every disk and NIC of the golden cases and examples, written by the typed writer, parses back equal. */
  @Test
  void typedDevicesWriteBackToTheSameDevice() {
    List<String> checked = new ArrayList<>();
    for (String name : GoldenCases.names()) {
      roundTrip(GoldenCases.json(GoldenCases.DIR, name), name, checked);
    }
    for (String name : GoldenCases.exampleNames()) {
      roundTrip(GoldenCases.json(GoldenCases.EXAMPLES, name), name, checked);
    }
    assertThat(checked).hasSizeGreaterThan(10);
  }

  private static void roundTrip(String json, String name, List<String> checked) {
    EditableSpec spec = EditableSpec.parse(json).orElseThrow();
    for (Device d : spec.spec().devices()) {
      boolean seed = spec.spec().cloudInit().isPresent() && d.id().equals(CloudInit.SEED_ID);
      if (seed || !(d instanceof Disk || d instanceof Nic)
          || !(spec.withoutDevice(d.id()) instanceof SpecEdit.Applied without)) {
        continue; // another device needs it (a pinned function 0, a reference); the seed is cloudInit's
      }
      EditableSpec again = without.result().withDevice(d).orElseThrow();
      // the cloud-init seed's disk stays the last device: the written one comes before it
      List<Device> devices = again.spec().devices().stream().filter(x -> again.spec().cloudInit().isEmpty()
          || !x.id().equals(CloudInit.SEED_ID)).toList();
      assertThat(devices.get(devices.size() - 1)).as("%s: %s", name, d.id()).isEqualTo(d);
      checked.add(name + "/" + d.id());
    }
  }
}
