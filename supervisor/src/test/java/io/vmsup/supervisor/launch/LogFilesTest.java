package io.vmsup.supervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {

  @TempDir
  Path dir;

  @Test
  void rotationShiftsGenerationsAndDropsTheOldest() throws Exception {
    Path log = dir.resolve("qemu.log");
    for (int i = 1; i <= 4; i++) {
      Files.writeString(log, "run " + i + " " + "x".repeat(20));
      LogFiles.rotate(log, 10, 2);
    }
    assertThat(log).doesNotExist();
    assertThat(Files.readString(dir.resolve("qemu.log.1"))).startsWith("run 4");
    assertThat(Files.readString(dir.resolve("qemu.log.2"))).startsWith("run 3");
    assertThat(dir.resolve("qemu.log.3")).doesNotExist();
  }

  @Test
  void aSmallLogIsNotRotated() throws Exception {
    Path log = dir.resolve("qemu.log");
    Files.writeString(log, "short");
    LogFiles.rotate(log, 1024, 3);
    assertThat(Files.readString(log)).isEqualTo("short");
    assertThat(dir.resolve("qemu.log.1")).doesNotExist();
  }

  @Test
  void noLogOrADirectoryAtItsNameIsLeftAloneWithoutAnError() throws Exception {
    Path none = dir.resolve("serial.log");
    assertThat(LogFiles.capRunning(none, 1, 3)).isFalse();
    LogFiles.rotate(none, 1, 3);
    assertThat(none).doesNotExist();
    Path sub = Files.createDirectory(dir.resolve("qemu.log"));
    Files.writeString(sub.resolve("inside"), "x".repeat(100));
    assertThat(LogFiles.capRunning(sub, 1, 3)).isFalse();
    LogFiles.rotate(sub, 1, 3);
    assertThat(sub).isDirectory();
    assertThat(dir.resolve("qemu.log.1")).doesNotExist();
  }

  @Test
  void theTailStopsAtTheLastStartMark() throws Exception {
    Path log = dir.resolve("qemu.log");
    Files.writeString(log, QemuLauncher.MARK + " 1\nold error\n" + QemuLauncher.MARK + " 2\nnew a\n\nnew b\n");
    assertThat(QemuLauncher.lastRunTail(log, 10)).containsExactly("new a", "new b");
    assertThat(QemuLauncher.lastRunTail(log, 1)).containsExactly("new b");
    assertThat(LogFiles.tail(dir.resolve("missing"), 5)).isEmpty();
  }

  @Test
  void aRunningWritersLogIsCopiedAndTruncatedInPlaceAndItsNextWriteStartsTheFile() throws Exception {
    Path log = dir.resolve("serial.log");
    // opened like QEMU's logappend=on / the stdout redirection: O_APPEND, kept open across the rotations
    try (var out = new java.io.FileOutputStream(log.toFile(), true)) {
      for (int round = 1; round <= 3; round++) {
        out.write(("round " + round + " " + "x".repeat(30) + "\n").getBytes());
        assertThat(LogFiles.capRunning(log, 32, 2)).isTrue();
        assertThat(Files.size(log)).isZero();
      }
      out.write("after\n".getBytes());
    }
    assertThat(Files.readString(log)).as("the writer goes on at offset 0 of the same file").isEqualTo("after\n");
    assertThat(Files.readString(dir.resolve("serial.log.1"))).startsWith("round 3");
    assertThat(Files.readString(dir.resolve("serial.log.2"))).startsWith("round 2");
    assertThat(dir.resolve("serial.log.3")).as("keep = 2").doesNotExist();
    assertThat(LogFiles.capRunning(log, 32, 2)).as("below the cap: untouched").isFalse();
    assertThat(Files.readString(log)).isEqualTo("after\n");
  }

  // a confined QEMU's uid may replace its serial log (it created it, in a directory it may write) by a link to a host
  // file; the daemon's rotation runs as root
  @Test
  void aRunningLogReplacedByALinkNeverTruncatesOrCopiesTheHostFileItNames() throws Exception {
    Path victim = Files.writeString(dir.resolve("other-vm-disk.qcow2"), "precious " + "y".repeat(100));
    Path log = Files.createSymbolicLink(dir.resolve("serial.log"), victim);
    assertThat(LogFiles.capRunning(log, 32, 2)).isFalse();
    assertThat(Files.readString(victim)).startsWith("precious").hasSize(109);
    assertThat(dir.resolve("serial.log.1")).doesNotExist();
    assertThat(log).as("the planted link is removed").doesNotExist();
    assertThat(Files.readString(victim)).hasSize(109);
  }

  @Test
  void aLogReplacedByALinkBeforeAStartIsRemovedNotRotatedIntoAGeneration() throws Exception {
    Path big = Files.writeString(dir.resolve("big"), "z".repeat(100));
    Path small = Files.writeString(dir.resolve("shadow"), "root:secret");
    Path log = Files.createSymbolicLink(dir.resolve("serial.log"), big);
    LogFiles.rotate(log, 32, 2);
    assertThat(Files.isSymbolicLink(dir.resolve("serial.log.1"))).as("a link moved to log.1 is read as root later")
        .isFalse();
    assertThat(log).doesNotExist();
    Files.createSymbolicLink(log, small);
    LogFiles.rotate(log, 32, 2);
    assertThat(Files.exists(log, java.nio.file.LinkOption.NOFOLLOW_LINKS))
        .as("a link left in place has the console read the host file as root as the VM's serial output").isFalse();
    assertThat(Files.readString(small)).isEqualTo("root:secret");
    assertThat(Files.readString(big)).hasSize(100);
  }
}
