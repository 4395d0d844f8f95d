package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A spec replace is checked like a create for NICs: a host forward another VM's spec has is refused (409 naming it),
 * as is a NIC on a network that does not exist (400 at its path); the spec stays the old one.
 */
class NicChecksReplaceIT {

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  private static JsonObject spec(String name, JsonObject nic) {
    return new JsonObject().put("name", name).put("machine", new JsonObject().put("type", "q35").put("accel", "tcg"))
        .put("devices", new JsonArray().add(nic));
  }

  private static JsonObject forwarding(int port) {
    return new JsonObject().put("kind", "nic").put("id", "u0").put("backend", "user").put("hostForwards",
        new JsonArray().add(new JsonObject().put("proto", "tcp").put("hostPort", port).put("guestPort", 22)));
  }

  @Test
  void aReplaceCannotTakeAnotherVmsSocketNorNameAnUnknownNetwork() throws Exception {
    Fixture f = supervisors.start();
    f.request(Addresses.CREATE, spec("a", forwarding(40222)));
    JsonObject b = spec("b", forwarding(40223));
    f.request(Addresses.CREATE, b);

    ReplyException clash = f.failure(Addresses.REPLACE, new JsonObject().put("name", "b")
        .put("spec", spec("b", forwarding(40222))));
    assertThat(clash.failureCode()).isEqualTo(409);
    assertThat(clash.getMessage()).contains("VM 'a'").contains("devices[0].hostForwards[0]");

    ReplyException unknown = f.failure(Addresses.REPLACE, new JsonObject().put("name", "b").put("spec",
        spec("b", new JsonObject().put("kind", "nic").put("id", "n0").put("network", "nowhere"))));
    assertThat(unknown.failureCode()).isEqualTo(400);
    assertThat(new JsonObject(unknown.getMessage()).getJsonArray("violations").getJsonObject(0).getString("path"))
        .isEqualTo("devices[0].network");
    assertThat(f.request(Addresses.GET, Fixture.name("b")).getJsonObject("spec")).isEqualTo(b);
  }
}
