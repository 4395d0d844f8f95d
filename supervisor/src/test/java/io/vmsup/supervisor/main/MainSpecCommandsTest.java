package io.vmsup.supervisor.main;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Main dispatches {@code validate} and {@code render} and lists them in its usage. */
class MainSpecCommandsTest {

  @Test
  void dispatchesValidateAndRender() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    assertThat(Main.run(new String[] {"validate"}, outStream, errStream)).isEqualTo(2);
    assertThat(Main.run(new String[] {"render"}, outStream, errStream)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("vmsup validate: needs a SPEC.json|-", "vmsup render: needs a SPEC.json|-");
    assertThat(Main.run(new String[] {"--help"}, outStream, errStream)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("validate", "render", "completion", "vm", "run");
  }
}
