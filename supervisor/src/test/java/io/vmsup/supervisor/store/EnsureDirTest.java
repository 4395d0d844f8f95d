package io.vmsup.supervisor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AtomicFiles#ensureDir} closes a directory that is too open and leaves a private one alone: the VMs'
 * traversal group and each VM uid's entry live in ACLs whose mask a blind chmod 0700 would set to nothing.
 */
class EnsureDirTest {

  @TempDir
  Path dir;

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    return out;
  }

  @Test
  void anAclAndTheStickyBitOfAPrivateDirectoryStay() throws Exception {
    Path vms = Files.createDirectory(dir.resolve("vms"));
    Files.setPosixFilePermissions(vms, PosixFilePermissions.fromString("rwx------"));
    run("setfacl", "-m", "g:2000065535:--x,u:2000000001:rwx", vms.toString());
    run("chmod", "+t", vms.toString());
    String before = run("getfacl", "-pn", vms.toString());

    AtomicFiles.ensureDir(vms);

    assertThat(run("getfacl", "-pn", vms.toString())).isEqualTo(before).contains("mask::rwx").contains("flags: --t");
  }

  @Test
  void aDirectoryOpenToOthersIsClosed() throws Exception {
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    AtomicFiles.ensureDir(open);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(open))).isEqualTo("rwx------");

    Path fresh = dir.resolve("a/b");
    AtomicFiles.ensureDir(fresh);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rwx------");
  }
}
