package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code placement} and {@code labels}: typed, stored with the spec, never rendered, hostile values refused. */
class PlacementSpecTest {

  private static VmSpec valid(String fields) {
    SpecResult r = VmSpecs.parse("{\"name\": \"a\", " + fields + "}");
    assertThat(r).as(fields).isInstanceOf(SpecResult.Valid.class);
    return ((SpecResult.Valid) r).spec();
  }

  private static List<String> problems(String fields) {
    SpecResult r = VmSpecs.parse("{\"name\": \"a\", " + fields + "}");
    assertThat(r).as(fields).isInstanceOf(SpecResult.Invalid.class);
    return ((SpecResult.Invalid) r).violations().stream().map(Violation::toString).toList();
  }

  @Test
  void readsAHostOrLabelsAndTheVmsLabels() {
    assertThat(valid("\"machine\": {\"type\": \"none\"}").placement()).isEmpty();
    assertThat(valid("\"placement\": {\"host\": \"h-2\"}").placement().orElseThrow().host()).contains("h-2");
    Placement p = valid("\"placement\": {\"labels\": {\"disk\": \"ssd\", \"zone\": \"a/1\"}}").placement()
        .orElseThrow();
    assertThat(p.labels()).containsOnly(Map.entry("disk", "ssd"), Map.entry("zone", "a/1"));
    assertThat(p.matches(Map.of("disk", "ssd", "zone", "a/1", "extra", "x"))).isTrue();
    assertThat(p.matches(Map.of("disk", "hdd", "zone", "a/1"))).isFalse();
    assertThat(valid("\"labels\": {\"team\": \"web\"}").labels()).containsExactly(Map.entry("team", "web"));
  }

  @Test
  void neitherIsRendered() {
    VmSpec plain = valid("\"machine\": {\"type\": \"none\"}");
    VmSpec placed = valid("\"machine\": {\"type\": \"none\"}, \"placement\": {\"host\": \"h2\"},"
        + " \"labels\": {\"team\": \"web\"}");
    RenderContext ctx = GoldenArgvTest.CONTEXT;
    assertThat(QemuArgv.render(placed, ctx)).isEqualTo(QemuArgv.render(plain, ctx));
  }

  @Test
  void refusesHostileValuesWithTheirPath() {
    assertThat(problems("\"placement\": {}")).containsExactly("placement: must name a host or labels");
    assertThat(problems("\"placement\": {\"host\": \"H2\"}")).containsExactly("placement.host: "
        + Placement.HOST_RULE);
    assertThat(problems("\"placement\": {\"host\": \"a.b\"}")).containsExactly("placement.host: "
        + Placement.HOST_RULE);
    assertThat(problems("\"placement\": {\"host\": 7}")).singleElement().asString()
        .startsWith("placement.host: must be a string");
    assertThat(problems("\"placement\": {\"hosts\": \"h2\"}")).contains("placement.hosts: unknown field; allowed:"
        + " host, labels");
    assertThat(problems("\"placement\": \"h2\"")).containsExactly("placement: must be an object, not a string");
    assertThat(problems("\"labels\": {\"team\": 1}")).singleElement().asString()
        .startsWith("labels.team: must be a string");
    assertThat(problems("\"labels\": {\"bad key\": \"x\"}")).containsExactly("labels.bad key: key "
        + Placement.LABEL_RULE);
    assertThat(problems("\"labels\": {\"k\": \"\\u0001\"}")).singleElement().asString()
        .startsWith("labels.k: must not contain control characters");
    StringBuilder many = new StringBuilder("\"labels\": {");
    for (int i = 0; i < 65; i++) {
      many.append(i == 0 ? "" : ", ").append("\"k").append(i).append("\": \"v\"");
    }
    assertThat(problems(many.append("}").toString())).containsExactly("labels: at most 64 labels");
  }
}
