package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code resources}: typed limits, every bad value refused with its JSON path and what is allowed. */
class ResourcesSpecTest {

  private static VmSpec valid(String resources) {
    SpecResult r = VmSpecs.parse("{\"name\": \"a\", \"resources\": " + resources + "}");
    assertThat(r).as(resources).isInstanceOf(SpecResult.Valid.class);
    return ((SpecResult.Valid) r).spec();
  }

  private static List<String> problems(String resources) {
    SpecResult r = VmSpecs.parse("{\"name\": \"a\", \"resources\": " + resources + "}");
    assertThat(r).as(resources).isInstanceOf(SpecResult.Invalid.class);
    return ((SpecResult.Invalid) r).violations().stream().map(Violation::toString).toList();
  }

  @Test
  void absentMeansNoLimits() {
    SpecResult r = VmSpecs.parse("{\"name\": \"a\"}");
    assertThat(((SpecResult.Valid) r).spec().resources()).isEmpty();
    assertThat(valid("{}").resources()).contains(Resources.none());
  }

  @Test
  void readsEveryLimit() {
    Resources r = valid("{\"cpuMax\": 1.5, \"memoryMax\": \"256M\", \"pidsMax\": 64}").resources().orElseThrow();
    assertThat(r.cpuMax()).contains(new BigDecimal("1.5"));
    assertThat(r.cpuQuotaMicros()).hasValue(150_000);
    assertThat(r.memoryMax()).contains(new Size(256L << 20));
    assertThat(r.pidsMax()).hasValue(64);
    assertThat(valid("{\"memoryMax\": 33554432, \"cpuMax\": 2}").resources().orElseThrow().cpuQuotaMicros())
        .hasValue(200_000);
  }

  @Test
  void refusesHostileValuesWithPathAndRange() {
    assertThat(problems("{\"cpuMax\": 0}")).containsExactly("resources.cpuMax: must be a number from 0.01 to 1024, not 0");
    assertThat(problems("{\"cpuMax\": -1}")).containsExactly(
        "resources.cpuMax: must be a number from 0.01 to 1024, not -1");
    assertThat(problems("{\"cpuMax\": 1e400}")).singleElement().asString().startsWith("resources.cpuMax: must be");
    assertThat(problems("{\"cpuMax\": \"2\"}")).containsExactly(
        "resources.cpuMax: must be a number from 0.01 to 1024, not a string");
    assertThat(problems("{\"cpuMax\": 0.005}")).singleElement().asString().startsWith("resources.cpuMax: must be");
    assertThat(problems("{\"cpuMax\": 1.125}")).containsExactly(
        "resources.cpuMax: must have at most two decimals (a hundredth of a CPU), not 1.125");
    assertThat(problems("{\"memoryMax\": \"1M\"}")).containsExactly(
        "resources.memoryMax: must be at least 32M (QEMU itself needs more), not 1048576 bytes");
    assertThat(problems("{\"memoryMax\": -5}")).singleElement().asString().startsWith("resources.memoryMax: must be");
    assertThat(problems("{\"memoryMax\": \"lots\"}")).singleElement().asString()
        .startsWith("resources.memoryMax: must be a size");
    assertThat(problems("{\"pidsMax\": 2}")).containsExactly("resources.pidsMax: must be from 8 to 4194304, not 2");
    assertThat(problems("{\"pidsMax\": 8.5}")).containsExactly("resources.pidsMax: must be a whole number, not 8.5");
    assertThat(problems("{\"memory\": 1}")).singleElement().asString()
        .startsWith("resources.memory: unknown field; allowed: cpuMax, memoryMax, pidsMax");
    assertThat(problems("[]")).containsExactly("resources: must be an object, not an array");
  }
}
