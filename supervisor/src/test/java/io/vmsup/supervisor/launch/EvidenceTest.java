package io.vmsup.supervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** The liveness decision alone: only positive evidence is DEAD, every failure to read is UNKNOWN. */
class EvidenceTest {

  private static String stat(String comm, char state, long start) {
    StringBuilder b = new StringBuilder("4242 (" + comm + ") " + state);
    for (int field = 4; field <= 52; field++) {
      b.append(' ').append(field == 22 ? start : 0);
    }
    return b.append('\n').toString();
  }

  @Test
  void aRunningOrSleepingProcessIsAliveWithItsStartTime() {
    for (char s : new char[] {'R', 'S', 'D', 'I'}) {
      Evidence e = Evidence.fromStat(stat("qemu-system-x86", s, 777), 777);
      assertThat(e.liveness()).as("state %s", s).isEqualTo(Liveness.ALIVE);
      assertThat(e.stopped()).isFalse();
      assertThat(e.startTime()).isEqualTo(777);
    }
  }

  @Test
  void aStoppedProcessIsAliveButStopped() {
    assertThat(Evidence.fromStat(stat("qemu", 'T', 5), 5)).satisfies(e -> {
      assertThat(e.liveness()).isEqualTo(Liveness.ALIVE);
      assertThat(e.stopped()).isTrue();
    });
    assertThat(Evidence.fromStat(stat("qemu", 't', 5), 5).stopped()).isTrue();
  }

  @Test
  void aCommandNameWithSpacesAndParenthesesIsParsedFromTheLastParenthesis() {
    Evidence e = Evidence.fromStat(stat("a) S 1 (b", 'S', 99), 99);
    assertThat(e.liveness()).isEqualTo(Liveness.ALIVE);
    assertThat(e.startTime()).isEqualTo(99);
  }

  @Test
  void aZombieOrADeadEntryIsDead() {
    for (char s : new char[] {'Z', 'X', 'x'}) {
      assertThat(Evidence.fromStat(stat("qemu", s, 5), 5).liveness()).as("state %s", s).isEqualTo(Liveness.DEAD);
    }
  }

  @Test
  void anotherStartTimeIsAnotherProcessSoOursIsDead() {
    assertThat(Evidence.fromStat(stat("qemu", 'S', 6), 5).liveness()).isEqualTo(Liveness.DEAD);
    assertThat(Evidence.fromStat(stat("qemu", 'S', 6), 0).liveness()).as("start time not known yet")
        .isEqualTo(Liveness.ALIVE);
  }

  @Test
  void theKernelsNoSuchProcessOrNoSuchEntryIsDead() {
    assertThat(Evidence.fromError(new IOException("No such process")).liveness()).isEqualTo(Liveness.DEAD);
    assertThat(Evidence.fromError(new NoSuchFileException("/proc/4242/stat")).liveness()).isEqualTo(Liveness.DEAD);
  }

  @Test
  void everyOtherReadErrorIsUnknownNeverDead() {
    IOException[] errors = {
        new FileSystemException("/proc/4242/stat", null, "Too many open files"),
        new FileSystemException("/proc/4242/stat", null, "Too many open files in system"),
        new AccessDeniedException("/proc/4242/stat"),
        new IOException("Input/output error"),
        new IOException("Cannot allocate memory"),
        new IOException((String) null)};
    for (IOException e : errors) {
      assertThat(Evidence.fromError(e).liveness()).as(e.toString()).isEqualTo(Liveness.UNKNOWN);
    }
  }

  @Test
  void anUnreadableStatLineIsUnknownNeverDead() {
    for (String junk : new String[] {"", "4242", "4242 (qemu)", "4242 (qemu) S 1 2 3", "garbage)",
        stat("qemu", 'S', 5).replace(" 5 ", " five ")}) {
      assertThat(Evidence.fromStat(junk, 5).liveness()).as("'%s'", junk).isEqualTo(Liveness.UNKNOWN);
    }
  }

  @Test
  void descriptorAndMemoryShortagesAreRecognisedThroughCauses() {
    assertThat(Evidence.isExhaustion(new RuntimeException("connect failed",
        new IOException("socket(..) failed: Too many open files")))).isTrue();
    assertThat(Evidence.isExhaustion(new IOException("Connection refused"))).isFalse();
    assertThat(Evidence.isExhaustion(null)).isFalse();
  }
}
