package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.daemon.FleetRig.Member;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two {@code vmsup run --cluster} members: a MAC the daemon would assign on one host is not given out while a VM of
 * the other host holds it. The MAC a name and NIC id derive is the same on every host, so without the fleet-wide
 * claim member b would hand VM "y" exactly the MAC VM "x" on member a was given (x names it in its spec here).
 */
class FleetMacsIT {

  private static final Duration CONVERGE = Duration.ofSeconds(90);

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private static String spec(String name, String host, String mac) {
    JsonObject nic = new JsonObject().put("kind", "nic").put("id", "net0").put("backend", "user");
    if (mac != null) {
      nic.put("mac", mac);
    }
    return new JsonObject().put("name", name).put("machine", new JsonObject().put("type", "q35").put("accel", "tcg"))
        .put("placement", new JsonObject().put("host", host)).put("devices", new JsonArray().add(nic)).encode();
  }

  private static String mac(JsonObject view) {
    return view.getJsonObject("pciLayout").getJsonObject("macs").getString("net0");
  }

  @Test
  void aMacHeldOnOneHostIsNotAssignedOnAnother() throws Exception {
    FleetRig fleet = new FleetRig(daemons, "ma", "mb");
    Member a = fleet.start("ma");
    Member b = fleet.start("mb");
    Await.until("two hosts up", () -> FleetIT.upHosts(a).size() == 2 && FleetIT.upHosts(b).size() == 2, CONVERGE);

    // the MAC that name "y" and NIC "net0" derive (what any host would assign first), then given back by the delete
    String derived = mac(a.ok("POST", "/v1/vms", spec("y", "ma", null)));
    a.ok("DELETE", "/v1/vms/y", null);
    // x on host a takes it explicitly
    a.ok("POST", "/v1/vms", spec("x", "ma", derived));
    JsonObject y = b.ok("POST", "/v1/vms", spec("y", "mb", null));
    assertThat(y.getString("host", "mb")).isEqualTo("mb");
    assertThat(mac(y)).as("y on host b avoids the MAC x holds on host a").startsWith("52:54:00:")
        .isNotEqualTo(derived);
    // deletes give the claims back: the derived MAC is free again
    a.ok("DELETE", "/v1/vms/x", null);
    b.ok("DELETE", "/v1/vms/y", null);
    assertThat(mac(b.ok("POST", "/v1/vms", spec("y", "mb", null)))).as("given back on delete").isEqualTo(derived);
  }
}
