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
}
