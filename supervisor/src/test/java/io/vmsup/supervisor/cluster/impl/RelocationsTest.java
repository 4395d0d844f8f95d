package io.vmsup.supervisor.cluster.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile publications on {@code vmsup.fleet.relocatable} are refused with the member at fault; disks checked. */
class RelocationsTest {

  private static JsonObject good() {
    return new JsonObject().put("host", "a").put("fenceAfterMs", 2000).put("vms", new JsonArray()
        .add(new JsonObject().put("name", "x").put("spec", new JsonObject().put("name", "x")).put("running", true)));
  }

  @Test
  void malformedPublicationsAreRefusedNamingTheMember() {
    assertThat(Relocations.problem(good())).isNull();
    assertThat(Relocations.problem("text")).isEqualTo("not a JSON object");
    assertThat(Relocations.problem(null)).isEqualTo("not a JSON object");
    assertThat(Relocations.problem(good().put("host", ""))).startsWith("host:");
    assertThat(Relocations.problem(good().put("host", 7))).startsWith("host:");
    assertThat(Relocations.problem(good().put("fenceAfterMs", -1))).startsWith("fenceAfterMs:");
    assertThat(Relocations.problem(good().put("fenceAfterMs", 1.5))).startsWith("fenceAfterMs:");
    assertThat(Relocations.problem(good().put("fenceAfterMs", "2000"))).startsWith("fenceAfterMs:");
    assertThat(Relocations.problem(good().put("vms", new JsonObject()))).startsWith("vms:");
    assertThat(Relocations.problem(good().put("vms", new JsonArray().add("x")))).startsWith("vms[0]:");
    assertThat(Relocations.problem(good().put("vms", new JsonArray().add(new JsonObject().put("name", "x")
        .put("spec", "{}").put("running", true))))).startsWith("vms[0]:");
    assertThat(Relocations.problem(good().put("vms", new JsonArray().add(new JsonObject().put("name", "x")
        .put("spec", new JsonObject()))))).startsWith("vms[0]:");
  }

  @Test
  void aMalformedPublicationChangesNothingAndAGoodOneReplacesTheHostsEntry() {
    Relocations r = new Relocations(null, "me", 0, List::of);
    r.learn(good());
    assertThat(r.of("a").vms()).containsOnlyKeys("x");
    r.learn(good().put("fenceAfterMs", -5));
    assertThat(r.of("a").fenceAfterMs()).isEqualTo(2000);
    r.learn(good().put("vms", new JsonArray()));
    assertThat(r.of("a").vms()).isEmpty();
  }

  @Test
  void disksTheHostMadeAreHostLocal() {
    JsonObject spec = new JsonObject().put("devices", new JsonArray()
        .add(new JsonObject().put("kind", "disk").put("id", "d0").put("file", "/shared/a.img"))
        .add(new JsonObject().put("kind", "nic").put("id", "n0"))
        .add(new JsonObject().put("kind", "disk").put("id", "d1").put("image", "debian"))
        .add(new JsonObject().put("kind", "disk").put("id", "d2").put("size", "1G")));
    assertThat(Relocatable.hostLocalDisks(spec)).containsExactly("devices[2]", "devices[3]");
    assertThat(Relocatable.is(new JsonObject().put("supervision", new JsonObject().put("onHostLoss", "relocate"))))
        .isTrue();
    assertThat(Relocatable.is(new JsonObject().put("supervision", new JsonObject().put("onHostLoss", "wait"))))
        .isFalse();
    assertThat(Relocatable.is(new JsonObject().put("supervision", "relocate"))).isFalse();
  }
}
