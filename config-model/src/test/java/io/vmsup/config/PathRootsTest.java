package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every host path of a spec stays inside the roots: no "..", no symbolic link out, no supervisor-owned file. */
class PathRootsTest {

  @TempDir
  Path tmp;
  Path root;
  Path outside;
  PathRoots roots;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectories(tmp.resolve("root"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createDirectories(root.resolve("vms/other"));
    Files.writeString(root.resolve("vms/other/disk.img"), "x");
    Files.writeString(outside.resolve("secret"), "s");
    roots = new PathRoots(List.of(root), List.of(root.resolve("vms")));
  }

  static VmSpec spec(String json) {
    SpecResult r = VmSpecs.parse(json);
    assertThat(r).as("%s", r).isInstanceOf(SpecResult.Valid.class);
    return ((SpecResult.Valid) r).spec();
  }

  private List<String> problems(String json) {
    return roots.check(spec(json)).stream().map(Violation::toString).toList();
  }

  /** usb-mtp's rootdir names a directory without saying "file" or "path": ../.. from the VM's directory is the state. */
  @Test
  void aRelativeGlobalValueMayNotClimbWhateverThePropertyIsCalled() {
    String json = """
        {"name": "a", "globals": [
           {"driver": "usb-mtp", "property": "rootdir", "value": "../.."},
           {"driver": "usb-mtp", "property": "rootdir", "value": ".."},
           {"driver": "usb-mtp", "property": "rootdir", "value": "."},
           {"driver": "vfio-pci", "property": "sysfsdev", "value": "sys/bus/pci/devices/0000:00:02.0"},
           {"driver": "ICH9-LPC", "property": "disable_s3", "value": "1"},
           {"driver": "e1000e", "property": "romfile", "value": "efi-e1000e.rom"}
         ]}""";
    assertThat(roots.check(spec(json)).stream().map(Violation::path))
        .containsExactly("globals[0].value", "globals[1].value", "globals[2].value", "globals[3].value");
  }

  /** A 9p share (or TFTP, usb-mtp, vvfat directory) of a root that holds the supervisor's own files shares them. */
  @Test
  void aDirectoryThatHoldsTheSupervisorsOwnFilesIsRefused() throws Exception {
    Files.createDirectories(root.resolve("share"));
    Files.createSymbolicLink(root.resolve("up"), root);
    String json = """
        {"name": "a", "devices": [
           {"kind": "9p", "id": "f", "path": "%1$s", "mountTag": "t"},
           {"kind": "9p", "id": "g", "path": "%1$s/", "mountTag": "u"},
           {"kind": "9p", "id": "h", "path": "%1$s/up", "mountTag": "v"},
           {"kind": "9p", "id": "i", "path": "%1$s/share", "mountTag": "w"}
         ]}""".formatted(root);
    assertThat(roots.check(spec(json)).stream().map(Violation::path))
        .containsExactly("devices[0].path", "devices[1].path", "devices[2].path");
    assertThat(roots.problem(root.toString())).get().asString().contains("holds " + root.resolve("vms"));
    assertThat(roots.problem(root.resolve("share/disk.img").toString())).isEmpty();
  }

  @Test
  void everyFieldThatNamesAHostPathIsChecked() {
    String o = outside.resolve("secret").toString();
    String json = """
        {"name": "a", "memory": {"size": "64M", "shared": true}, "kernel": {"path": "%1$s", "initrd": "%1$s"}, "bios": "%1$s",
         "pflash": [{"file": "%1$s"}], "fwCfg": [{"name": "opt/x", "file": "%1$s"}],
         "globals": [{"driver": "e1000e", "property": "romfile", "value": "%1$s"}],
         "devices": [
           {"kind": "disk", "id": "d", "file": "%1$s"},
           {"kind": "9p", "id": "f", "path": "%1$s", "mountTag": "t"},
           {"kind": "rng", "id": "r", "source": "%1$s"},
           {"kind": "memory-backend", "id": "m", "type": "file", "size": "16M", "path": "%1$s"},
           {"kind": "chardev", "id": "c", "backend": "file", "path": "%1$s", "logfile": "%1$s"},
           {"kind": "chardev", "id": "c2", "backend": "socket", "path": "%1$s"},
           {"kind": "vhost-user-blk", "id": "vb", "socket": "%1$s"}
         ]}""".formatted(o);
    List<Violation> v = roots.check(spec(json));
    assertThat(v.stream().map(Violation::path)).containsExactlyInAnyOrder("kernel.path", "kernel.initrd", "bios",
        "pflash[0].file", "fwCfg[0].file", "globals[0].value", "devices[0].file", "devices[1].path",
        "devices[2].source", "devices[3].path", "devices[4].path", "devices[4].logfile", "devices[5].path",
        "devices[6].socket");
    assertThat(v.get(0).message()).contains(o, "outside the allowed paths", root.toString(), "allowedPaths");
  }

  @Test
  void machineOptionFilesAndOptionRomsGoThroughTheSameRule() {
    String o = outside.resolve("secret").toString();
    String json = """
        {"name": "a", "machine": {"options": {"dtb": "%1$s", "firmware": "%1$s", "hpet": "off"}},
         "devices": [{"kind": "rng", "id": "r", "source": "%2$s", "romfile": "%1$s"},
                     {"kind": "balloon", "id": "b", "romfile": ""}]}""".formatted(o, root.resolve("rnd"));
    assertThat(roots.check(spec(json)).stream().map(Violation::path)).containsExactlyInAnyOrder(
        "machine.options.dtb", "machine.options.firmware", "devices[0].romfile");
  }

  @Test
  void dotDotIsRefusedEvenWhenItStaysInside() {
    assertThat(problems(kernel(root + "/../outside/secret")))
        .containsExactly("kernel.path: \"" + root + "/../outside/secret\" must not contain \"..\"; name the file by"
            + " its own path under " + List.of(root));
    assertThat(problems(kernel(root + "/a/../b"))).hasSize(1);
  }

  @Test
  void symbolicLinksOutOfTheRootsAreRefusedWithTheirTarget() throws Exception {
    Files.createSymbolicLink(root.resolve("link"), outside.resolve("secret"));
    Files.createSymbolicLink(root.resolve("dir"), outside);
    Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("not-yet"));
    assertThat(problems(kernel(root + "/link"))).singleElement().asString()
        .contains("resolves through a symbolic link to " + outside.toRealPath().resolve("secret"));
    assertThat(problems(kernel(root + "/dir/secret"))).hasSize(1);
    assertThat(problems(kernel(root + "/dir/new-file"))).hasSize(1);
    // QEMU would create the target of a dangling link (a chardev file, a socket): judged by where it points
    assertThat(problems(kernel(root + "/dangling"))).singleElement().asString().contains("not-yet");
  }

  @Test
  void linksInsideTheRootsAndNewFilesAreAllowed() throws Exception {
    Files.writeString(root.resolve("k"), "k");
    Files.createSymbolicLink(root.resolve("alias"), root.resolve("k"));
    assertThat(problems(kernel(root + "/alias"))).isEmpty();
    assertThat(problems(kernel(root + "/k"))).isEmpty();
    assertThat(problems(kernel(root + "/sub/not-created-yet"))).isEmpty();
  }

  @Test
  void supervisorOwnedPathsAreRefusedAlsoThroughALink() throws Exception {
    assertThat(problems(kernel(root + "/vms/other/disk.img"))).singleElement().asString()
        .contains("belongs to the supervisor");
    Files.createSymbolicLink(root.resolve("sneaky"), root.resolve("vms/other"));
    assertThat(problems(kernel(root + "/sneaky/disk.img"))).singleElement().asString()
        .contains("belongs to the supervisor");
  }

  @Test
  void entropyDevicesAndHugepagesAreAlwaysAllowedButNothingElseInDev() {
    assertThat(roots.problem("/dev/urandom")).isEmpty();
    assertThat(roots.problem("/dev/hugepages/vm")).isEmpty();
    assertThat(roots.problem("/dev/sda")).isPresent();
    assertThat(roots.problem("/dev/hugepages/../sda")).isPresent();
  }

  @Test
  void relativeGlobalFileValuesStayBareNames() {
    String ok = "{\"name\": \"a\", \"globals\": [{\"driver\": \"e1000e\", \"property\": \"romfile\","
        + " \"value\": \"efi-e1000e.rom\"}]}";
    assertThat(problems(ok)).isEmpty();
    assertThat(problems(ok.replace("efi-e1000e.rom", "../../etc/shadow"))).singleElement().asString()
        .startsWith("globals[0].value: \"../../etc/shadow\" must be a bare file name");
    String number = "{\"name\": \"a\", \"globals\": [{\"driver\": \"ICH9-LPC\", \"property\": \"disable_s3\","
        + " \"value\": \"1\"}]}";
    assertThat(problems(number)).isEmpty();
  }

  @Test
  void rootsMustBeAbsolute() {
    assertThatThrownBy(() -> PathRoots.of(List.of(Path.of("rel")))).hasMessageContaining("not absolute");
    assertThatThrownBy(() -> PathRoots.of(List.of())).hasMessageContaining("at least one");
  }

  private static String kernel(String path) {
    return "{\"name\": \"a\", \"kernel\": {\"path\": \"" + path + "\"}}";
  }
}
