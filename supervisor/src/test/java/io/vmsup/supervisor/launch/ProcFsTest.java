package io.vmsup.supervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcFsTest {

  @Test
  void startTimeAndCmdlineIdentifyAProcessAndVanishWithIt() throws Exception {
    Process p = new ProcessBuilder("sleep", "30").redirectOutput(new File("/dev/null")).start();
    try {
      long start = ProcFs.startTime(p.pid()).orElseThrow();
      assertThat(start).isPositive();
      assertThat(ProcFs.startTime(p.pid())).hasValue(start);
      assertThat(ProcFs.startTime(ProcessHandle.current().pid()).orElseThrow()).isLessThanOrEqualTo(start);
      assertThat(ProcFs.cmdline(p.pid())).containsExactly("sleep", "30");
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(ProcFs.startTime(p.pid())).isEmpty();
    assertThat(ProcFs.cmdline(p.pid())).isEmpty();
  }
}
