package io.vmsup.supervisor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JIT compiler threads' CPU is compared thread by thread: the JVM starts and ends compiler threads as it needs
 * them, and a plain sum taken twice fell below zero in {@code bench libvirt} ("-28% of the daemon's CPU in its JIT
 * compilers") once a compiler thread had ended between two readings.
 */
class ProcStatCompilerTest {

  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void thisJvmsCompilerThreadsAreFound() throws Exception {
    assertThat(ProcStat.compilerTicksByThread(SELF)).as("this JVM runs at least one JIT compiler thread").isNotEmpty();
  }

  @Test
  void aThreadThatEndedOrWasAheadNeverMakesTheDeltaNegative() throws Exception {
    Map<String, Long> before = new HashMap<>();
    for (Map.Entry<String, Long> e : ProcStat.compilerTicksByThread(SELF).entrySet()) {
      before.put(e.getKey(), e.getValue() + 1_000_000); // more than any thread took: as if its ticks had gone down
    }
    before.put("999999999", 5_000_000L); // a compiler thread that ended since (no such task now)
    assertThat(ProcStat.compilerTicksSince(SELF, before)).isZero();
  }

  @Test
  void aNewThreadCountsAllItTook() throws Exception {
    Map<String, Long> now = ProcStat.compilerTicksByThread(SELF);
    long all = now.values().stream().mapToLong(Long::longValue).sum();
    assertThat(ProcStat.compilerTicksSince(SELF, Map.of())).isGreaterThanOrEqualTo(all);
  }
}
