package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

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
}
