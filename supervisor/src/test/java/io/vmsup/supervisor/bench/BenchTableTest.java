package io.vmsup.supervisor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The header of a bench's table names each load average it shows with its figure (the end's was left out). */
class BenchTableTest {

  @Test
  void theHeaderGivesTheLoadAverageAtTheEndWithItsFigure() {
    BenchTable table = new BenchTable("scale: 3 simulated VMs; load average at the start 1.00 2.00 3.00");
    table.row("rest CPU (% of a core)", 1.5, 1.0, "the daemon alone");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    String header = bytes.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
    assertThat(header).matches("scale: 3 simulated VMs; load average at the start 1\\.00 2\\.00 3\\.00;"
        + " host: \\d+ CPUs,"
        + " load average at the end \\d+\\.\\d\\d \\d+\\.\\d\\d \\d+\\.\\d\\d");
  }
}
