package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code supervision.onHostLoss}: wait by default, relocate when asked, anything else refused with its path. */
class HostLossSpecTest {

  private static SpecResult parse(String supervision) {
    return VmSpecs.parse("{\"name\": \"a\", \"supervision\": " + supervision + "}");
  }

  @Test
  void waitsByDefaultAndRelocatesWhenAsked() {
    assertThat(((SpecResult.Valid) VmSpecs.parse("{\"name\": \"a\"}")).spec().supervision().onHostLoss())
        .isEqualTo(HostLossPolicy.WAIT);
    assertThat(((SpecResult.Valid) parse("{\"onHostLoss\": \"relocate\"}")).spec().supervision().onHostLoss())
        .isEqualTo(HostLossPolicy.RELOCATE);
  }

  @Test
  void anythingElseIsRefusedWithItsPath() {
    for (String bad : new String[] {"\"teleport\"", "\"RELOCATE\"", "true", "{}", "null"}) {
      SpecResult r = parse("{\"onHostLoss\": " + bad + "}");
      assertThat(r).as(bad).isInstanceOf(SpecResult.Invalid.class);
      assertThat(((SpecResult.Invalid) r).violations()).as(bad)
          .anyMatch(v -> v.path().equals("supervision.onHostLoss"));
    }
  }
}
