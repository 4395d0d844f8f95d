package io.vmsup.supervisor.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.impl.MacPlanner;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The MACs in use, as the registry's table keeps them (no scan of every VM per create): a VM naming the MAC another
 * VM's NIC would derive pushes that NIC to the next one, and lets go of it when it is deleted, when its spec is
 * replaced without it, and not when the daemon restarts (the index is rebuilt from the recovered VMs).
 */
class MacsInUseIT {

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  /** What VM z's NIC net0 is given when nothing is in its way. */
  private static final String FIRST = MacPlanner.derive("z", "net0", Set.of());

  private static JsonObject spec(String name, String nicId, String mac) {
    JsonObject nic = new JsonObject().put("kind", "nic").put("id", nicId).put("backend", "user");
    if (mac != null) {
      nic.put("mac", mac);
    }
    return new JsonObject().put("name", name).put("machine", new JsonObject().put("accel", "tcg"))
        .put("devices", new JsonArray().add(nic));
  }

  private static String mac(JsonObject view) {
    return view.getJsonObject("pciLayout").getJsonObject("macs").getString("net0");
  }

  private String createZ(Fixture f) throws Exception {
    return mac(f.request(Addresses.CREATE, spec("z", "net0", null)));
  }

  private static JsonObject replace(String name, JsonObject spec, String version) {
    return new JsonObject().put("name", name).put("spec", spec).put("ifMatch", new JsonArray().add(version));
  }

  @Test
  void aMacStaysTakenExactlyAsLongAsAVmNamesIt() throws Exception {
    Fixture f = supervisors.start();
    assertThat(createZ(f)).isEqualTo(FIRST);
    f.request(Addresses.DELETE, Fixture.name("z"));

    JsonObject y = f.request(Addresses.CREATE, spec("y", "e0", FIRST.toUpperCase()));
    assertThat(createZ(f)).as("y names it (in upper case)").isNotEqualTo(FIRST).startsWith("52:54:00:");
    f.request(Addresses.DELETE, Fixture.name("z"));

    // a restart: the recovered y still holds it
    f.close();
    f = supervisors.start();
    assertThat(createZ(f)).isNotEqualTo(FIRST);
    f.request(Addresses.DELETE, Fixture.name("z"));

    // an edit: y's spec replaced by one without the MAC gives it back
    f.request(Addresses.REPLACE, replace("y", spec("y", "e0", null), y.getString("specVersion")));
    assertThat(createZ(f)).isEqualTo(FIRST);
    f.request(Addresses.DELETE, Fixture.name("z"));

    // a delete gives it back
    f.request(Addresses.CREATE, spec("x", "e0", FIRST));
    assertThat(createZ(f)).isNotEqualTo(FIRST);
    f.request(Addresses.DELETE, Fixture.name("z"));
    f.request(Addresses.DELETE, Fixture.name("x"));
    assertThat(createZ(f)).isEqualTo(FIRST);
  }
}
