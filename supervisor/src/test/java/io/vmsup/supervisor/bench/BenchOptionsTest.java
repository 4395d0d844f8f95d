package io.vmsup.supervisor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The benches' options: help prints the usage and runs nothing; a bad option is refused with the usage, exit 2. */
class BenchOptionsTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
  private final PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

  @Test
  void helpPrintsTheUsageAndRunsNothing() {
    assertThat(BenchApi.run(new String[] {"--help"}, o, e)).isZero();
    assertThat(BenchScale.run(new String[] {"-h"}, o, e)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: vmsup bench api").contains(
        "usage: vmsup bench scale");
  }

  @Test
  void badOptionsAreRefusedWithTheUsage() {
    assertThat(BenchApi.run(new String[] {"--vms"}, o, e)).isEqualTo(2);
    assertThat(BenchApi.run(new String[] {"--vms", "many"}, o, e)).isEqualTo(2);
    assertThat(BenchApi.run(new String[] {"--bogus", "1"}, o, e)).isEqualTo(2);
    assertThat(BenchScale.run(new String[] {"--vms", "x"}, o, e)).isEqualTo(2);
    assertThat(BenchScale.run(new String[] {"--rest", "soon"}, o, e)).isEqualTo(2);
    assertThat(BenchScale.run(new String[] {"--rest", "1"}, o, e)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs a value").contains("--vms must be at least 1")
        .contains("--rest must be at least 5").contains("unknown option '--bogus'").contains("--vms needs a whole number", "--rest needs a whole number");
  }

  @Test
  void thePassThroughRowsSayByHowMuchATargetIsMissed() {
    assertThat(ApiRig.targetUs("POST /v1/vms/NAME/qmp query-status")).isEqualTo(150);
    assertThat(ApiRig.targetUs("bus vmsup.vm.qmp query-status")).isEqualTo(50);
    assertThat(ApiRig.targetUs("GET /v1/vms/NAME")).isNegative();
    assertThat(ApiRig.verdict(906.2, 150)).isEqualTo("target, at most: MISSED by 756 us");
    assertThat(ApiRig.verdict(40, 50)).isEqualTo("target, at most: met");
  }
}
