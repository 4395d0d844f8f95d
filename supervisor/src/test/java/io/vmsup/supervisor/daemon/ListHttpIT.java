package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v1/vms} on a real daemon (its views encoded once each by the registry's table) is current after a
 * create, a start, a kill and a delete; its labels filter keeps exactly the VMs carrying every pair; each view is
 * the one {@code GET /v1/vms/{name}} and the bus's {@code vmsup.vm.list} give; every answer fits the OpenAPI document.
 */
class ListHttpIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private DaemonFixture daemon;

  private List<String> names(String query) throws Exception {
    return daemon.ok("GET", "/v1/vms" + query, null).getJsonArray("vms").stream()
        .map(o -> ((JsonObject) o).getString("name")).toList();
  }

  private JsonObject listed(String name) throws Exception {
    return daemon.ok("GET", "/v1/vms", null).getJsonArray("vms").stream().map(o -> (JsonObject) o)
        .filter(v -> name.equals(v.getString("name"))).findFirst().orElseThrow();
  }

  private static JsonObject labelled(String name, String tier, String zone) {
    return TestSpecs.machineNone(name).put("labels", new JsonObject().put("tier", tier).put("zone", zone));
  }

  @Test
  void theListIsCurrentAfterEachChangeAndFiltersByLabels() throws Exception {
    daemon = daemons.start();
    assertThat(names("")).isEmpty();
    daemon.ok("POST", "/v1/vms", labelled("web2", "web", "b"));
    daemon.ok("POST", "/v1/vms", labelled("web1", "web", "a"));
    daemon.ok("POST", "/v1/vms", labelled("db1", "db", "a"));
    assertThat(names("")).as("by name").containsExactly("db1", "web1", "web2");
    assertThat(listed("web1").getString("state")).isEqualTo("DEFINED");

    daemon.ok("POST", "/v1/vms/web1/start", null);
    JsonObject running = listed("web1");
    assertThat(running.getString("state")).isEqualTo("RUNNING");
    assertThat(running.getLong("pid")).isPositive();
    assertThat(running).isEqualTo(daemon.ok("GET", "/v1/vms/web1", null));
    JsonArray onBus = Await.result(daemon.daemon.vertx().eventBus().<JsonObject>request(Addresses.LIST,
        new JsonObject()), DaemonFixture.LONG).body().getJsonArray("vms");
    assertThat(daemon.ok("GET", "/v1/vms", null).getJsonArray("vms")).as("the bus's list, the same views")
        .isEqualTo(onBus);

    assertThat(names("?labels=tier=web")).containsExactly("web1", "web2");
    assertThat(names("?labels=tier=web,zone=a")).containsExactly("web1");
    assertThat(names("?labels=zone=a")).containsExactly("db1", "web1");
    assertThat(names("?labels=tier=cache")).isEmpty();
    assertThat(daemon.send("GET", "/v1/vms?labels=tier", null).status()).as("malformed").isEqualTo(400);

    daemon.ok("POST", "/v1/vms/web1/kill", null);
    assertThat(listed("web1").getString("state")).isEqualTo("STOPPED");
    assertThat(listed("web1").getValue("pid")).isNull();
    daemon.ok("DELETE", "/v1/vms/web2", null);
    assertThat(names("")).containsExactly("db1", "web1");
    assertThat(names("?labels=tier=web")).containsExactly("web1");
    daemon.ok("POST", "/v1/vms", labelled("web2", "cache", "b"));
    assertThat(names("?labels=tier=web")).as("the re-created VM with its new labels").containsExactly("web1");
    assertThat(names("?labels=tier=cache")).containsExactly("web2");
  }
}
