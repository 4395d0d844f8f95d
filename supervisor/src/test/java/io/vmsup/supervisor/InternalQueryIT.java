package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code vmsup.internal.query}: the actor answers read-only queries on its own QMP connection (for metrics). */
class InternalQueryIT {

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  @Test
  void aQueryIsAnsweredByTheActorAndAnythingElseIsRefused() throws Exception {
    Fixture f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("q"));
    assertThat(f.failure(Addresses.QUERY, Fixture.name("q").put("execute", "query-status")).failureCode())
        .as("no QEMU yet").isEqualTo(409);
    f.request(Addresses.START, Fixture.name("q"));
    JsonObject status = f.request(Addresses.QUERY, Fixture.name("q").put("execute", "query-status")
        .put("timeoutMs", 2000));
    assertThat(status.getJsonObject("return").getString("status")).isEqualTo("running");
    assertThat(f.failure(Addresses.QUERY, Fixture.name("q").put("execute", "quit")).failureCode()).isEqualTo(400);
    assertThat(f.failure(Addresses.QUERY, Fixture.name("q")).failureCode()).isEqualTo(400);
    assertThat(f.request(Addresses.GET, Fixture.name("q")).getString("state")).isEqualTo("RUNNING");
    assertThat(f.failure(Addresses.QUERY, Fixture.name("nope").put("execute", "query-status")).failureCode())
        .isEqualTo(404);
  }

  @Test
  void severalQueriesInOneRequestEachAnswerOrFailAlone() throws Exception {
    Fixture f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("b"));
    JsonObject idle = f.request(Addresses.QUERY, Fixture.name("b").put("execute", new JsonArray()
        .add("query-status").add("query-version")));
    assertThat(idle.getJsonArray("returns")).hasSize(2).allSatisfy(r ->
        assertThat(((JsonObject) r).getJsonObject("error").getString("message")).contains("no QMP connection"));
    f.request(Addresses.START, Fixture.name("b"));
    JsonObject both = f.request(Addresses.QUERY, Fixture.name("b").put("execute", new JsonArray()
        .add("query-status").add("query-no-such-thing").add("query-version")));
    JsonArray returns = both.getJsonArray("returns");
    assertThat(returns).hasSize(3);
    assertThat(returns.getJsonObject(0).getJsonObject("return").getString("status")).isEqualTo("running");
    assertThat(returns.getJsonObject(1).getJsonObject("error").getString("message")).isNotBlank();
    assertThat(returns.getJsonObject(2).getJsonObject("return").getJsonObject("qemu").getInteger("major"))
        .isGreaterThanOrEqualTo(7);
    for (JsonArray bad : java.util.List.of(new JsonArray(), new JsonArray().add("query-status").add("quit"),
        new JsonArray().add(7))) {
      assertThat(f.failure(Addresses.QUERY, Fixture.name("b").put("execute", bad)).failureCode()).as(bad.encode())
          .isEqualTo(400);
    }
    assertThat(f.request(Addresses.GET, Fixture.name("b")).getString("state")).isEqualTo("RUNNING");
  }

  @Test
  void aQueryCarriesItsArgumentsAndAnythingButAnObjectIsRefused() throws Exception {
    Fixture f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("a"));
    f.request(Addresses.START, Fixture.name("a"));
    JsonObject machineOnly = new JsonObject().put("option", "machine");
    JsonArray one = f.request(Addresses.QUERY, Fixture.name("a").put("execute", "query-command-line-options")
        .put("arguments", machineOnly)).getJsonArray("return");
    assertThat(one).hasSize(1);
    assertThat(one.getJsonObject(0).getString("option")).isEqualTo("machine");
    JsonArray returns = f.request(Addresses.QUERY, Fixture.name("a").put("execute", new JsonArray()
        .add(new JsonObject().put("execute", "query-command-line-options").put("arguments", machineOnly))
        .add("query-command-line-options"))).getJsonArray("returns");
    assertThat(returns.getJsonObject(0).getJsonArray("return")).hasSize(1);
    assertThat(returns.getJsonObject(1).getJsonArray("return").size()).isGreaterThan(1);
    assertThat(f.failure(Addresses.QUERY, Fixture.name("a").put("execute", "query-status").put("arguments", "x"))
        .failureCode()).isEqualTo(400);
    for (JsonArray bad : java.util.List.of(new JsonArray().add(new JsonObject().put("execute", "quit")),
        new JsonArray().add(new JsonObject().put("execute", "query-status").put("arguments", new JsonArray())),
        new JsonArray().add(new JsonObject()))) {
      assertThat(f.failure(Addresses.QUERY, Fixture.name("a").put("execute", bad)).failureCode()).as(bad.encode())
          .isEqualTo(400);
    }
    assertThat(f.request(Addresses.GET, Fixture.name("a")).getString("state")).isEqualTo("RUNNING");
  }
}
