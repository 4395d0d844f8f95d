package io.vmsup.supervisor;

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
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThat(Main.run(new String[] {"validate"}, out, errStream)).isEqualTo(2);
    assertThat(Main.run(new String[] {"render"}, out, errStream)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("usage: vmsup validate SPEC.json|-", "usage: vmsup render [--layout] SPEC.json|-");
    assertThat(Main.usage()).contains("validate SPEC.json|-", "render [--layout] SPEC.json|-");
  }
}
