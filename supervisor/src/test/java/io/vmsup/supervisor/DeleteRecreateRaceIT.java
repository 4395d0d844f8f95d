package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
 * Real QEMU ({@code -machine none}): a create of a name whose delete has not answered yet is refused (409), however
 * close behind the delete it comes. Before, the name was free again as soon as the old actor had deleted its VM, while
 * the registry still undeployed that actor and cleaned up: a create then deployed a second actor on the VM's addresses
 * beside the one going away, and the delete's clean-up took the new VM out of the table (and, in a fleet, its name out
 * of the directory). Every request is sent from one event-loop context, so the replies arrive in the order they were
 * sent.
 */
class DeleteRecreateRaceIT {

  private static final Duration T = Duration.ofSeconds(60);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  @Test
  void aCreateOfANameWhoseDeleteHasNotAnsweredIsRefused() throws Exception {
    Fixture f = supervisors.start();
    for (int round = 1; round <= 3; round++) {
      f.request(Addresses.CREATE, Fixture.spec("d"));
      f.request(Addresses.START, Fixture.name("d"));
      f.request(Addresses.KILL, Fixture.name("d"));
      List<String> seen = Await.result(race(f), T);
      // every create before the delete's answer refused; the first one to succeed came after it
      String first = seen.stream().filter(s -> s.startsWith("created")).findFirst().orElseThrow();
      assertThat(first).as("round %d: %s", round, seen).isEqualTo("created after the delete answered");
      assertThat(seen.subList(0, seen.indexOf(first))).as("round %d", round).allMatch(s -> s.equals("409"));
      // the new VM is whole: in the table, on its own addresses, able to run
      assertThat(f.request(Addresses.GET, Fixture.name("d")).getString("state")).isEqualTo("DEFINED");
      f.request(Addresses.START, Fixture.name("d"));
      JsonObject status = f.request(Addresses.QMP, Fixture.name("d").put("execute", "query-status"));
      assertThat(status.getJsonObject("return").getString("status")).isEqualTo("running");
      f.request(Addresses.KILL, Fixture.name("d"));
      f.request(Addresses.DELETE, Fixture.name("d"));
    }
  }

  /**
   * From one context: a delete of d, then creates of d one after the other until one succeeds; what each create got,
   * in order ("409", or "created before/after the delete answered").
   */
  private static Future<List<String>> race(Fixture f) {
    Promise<List<String>> result = Promise.promise();
    Context context = f.vertx.getOrCreateContext();
    context.runOnContext(v -> {
      Future<Message<JsonObject>> delete = f.vertx.eventBus().request(Addresses.DELETE, Fixture.name("d"));
      createUntilDone(f, delete, new ArrayList<>(), result);
    });
    return result.future();
  }

  private static void createUntilDone(Fixture f, Future<Message<JsonObject>> delete, List<String> seen,
      Promise<List<String>> result) {
    f.vertx.eventBus().<JsonObject>request(Addresses.CREATE, Fixture.spec("d")).onComplete(ar -> {
      if (ar.succeeded()) {
        seen.add(delete.succeeded() ? "created after the delete answered" : "created before the delete answered");
        delete.onComplete(x -> result.complete(seen));
      } else if (ar.cause() instanceof ReplyException r && r.failureCode() == 409 && seen.size() < 100_000) {
        seen.add("409");
        createUntilDone(f, delete, seen, result);
      } else {
        result.fail(new AssertionError("a create of d failed otherwise after " + seen.size() + " tries (delete "
            + (delete.isComplete() ? delete.succeeded() ? "answered" : "failed: " + delete.cause() : "pending")
            + "): " + ar.cause()));
      }
    });
  }
}
