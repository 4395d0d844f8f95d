package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real QEMU ({@code -machine none}): pass-through calls are answered by the VM's actor itself, not by the registry;
 * calls sent around a delete of their VM are each answered, and truthfully: 409 while the VM exists but does not run,
 * 404 once it is gone — never left to the caller's timeout, never 503.
 */
class PassThroughDeleteRaceIT {

  private static final Duration T = Duration.ofSeconds(30);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  @Test
  void callsAroundADeleteAreAnswered409Or404() throws Exception {
    Fixture f = supervisors.start();
    for (int round = 1; round <= 5; round++) {
      String name = "r" + round;
      f.request(Addresses.CREATE, Fixture.spec(name));
      List<Future<Message<JsonObject>>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        calls.add(qmp(f, name));
      }
      Future<Message<JsonObject>> delete = f.vertx.eventBus().request(Addresses.DELETE, Fixture.name(name));
      for (int i = 0; i < 20; i++) {
        calls.add(qmp(f, name));
      }
      Await.result(Future.join(new ArrayList<>(calls)).otherwiseEmpty(), T);
      Await.result(delete, T);

      for (Future<Message<JsonObject>> c : calls) {
        assertThat(c.failed()).as("round %d: a VM that does not run answered %s", round, c.result()).isTrue();
        assertThat(((ReplyException) c.cause()).failureCode()).as("round %d: %s", round, c.cause()).isIn(409, 404);
      }
      assertThat(((ReplyException) calls.get(0).cause()).failureCode()).as("sent before the delete").isEqualTo(409);
      ReplyException after = f.failure(Addresses.QMP, Fixture.name(name).put("execute", "query-status"));
      assertThat(after.failureCode()).isEqualTo(404);
      assertThat(after.getMessage()).contains("no VM named '" + name + "'");
    }
  }

  @Test
  void aRunningVmAnswersThroughTheActorAndAnUnknownNameIs404() throws Exception {
    Fixture f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("a"));
    f.request(Addresses.START, Fixture.name("a"));
    for (int i = 0; i < 3; i++) {
      JsonObject r = f.request(Addresses.QMP, Fixture.name("a").put("execute", "query-status"));
      assertThat(r.getJsonObject("return").getString("status")).isEqualTo("running");
    }
    ReplyException unknown = f.failure(Addresses.QMP, Fixture.name("b").put("execute", "query-status"));
    assertThat(unknown.failureCode()).isEqualTo(404);
    ReplyException nameless = f.failure(Addresses.QMP, new JsonObject().put("execute", "query-status"));
    assertThat(nameless.failureCode()).isEqualTo(404);
    assertThat(nameless.getMessage()).contains("missing 'name'");
  }

  private static Future<Message<JsonObject>> qmp(Fixture f, String name) {
    return f.vertx.eventBus().request(Addresses.QMP, Fixture.name(name).put("execute", "query-status"));
  }
}
