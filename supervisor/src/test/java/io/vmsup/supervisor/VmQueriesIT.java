package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpCommands;
import io.vmsup.qmp.QemuVersion;
import io.vmsup.qmp.StatusInfo;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.VmException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Supervisor#queries}: the metrics collector's way to a VM's QMP connection without the bus, through the door
 * the VM's actor puts in the table while it answers (real QEMU, {@code -machine none}).
 */
class VmQueriesIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  private static List<AsyncResult<?>> ask(Fixture f, String vm, QmpCommand<?>... commands) throws Exception {
    return Await.result(f.supervisor.queries(vm, List.of(commands), TIMEOUT), WAIT);
  }

  private static int code(AsyncResult<?> r) {
    assertThat(r.failed()).as("failed: %s", r).isTrue();
    assertThat(r.cause()).isInstanceOf(VmException.class);
    return ((VmException) r.cause()).code().code();
  }

  @Test
  void queriesAreAnsweredTypedOnTheVmsConnectionAndAnythingElseIsRefused() throws Exception {
    Fixture f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("q"));
    List<AsyncResult<?>> idle = ask(f, "q", QmpCommands.queryStatus(), QmpCommands.queryVersion());
    assertThat(idle).hasSize(2).allSatisfy(r -> assertThat(code(r)).as("no QEMU yet").isEqualTo(409));
    f.request(Addresses.START, Fixture.name("q"));
    List<AsyncResult<?>> running = ask(f, "q", QmpCommands.queryStatus(),
        QmpCommand.raw("query-no-such-thing", null), QmpCommands.quit(), QmpCommands.queryVersion());
    assertThat(running).hasSize(4);
    assertThat(((StatusInfo) running.get(0).result()).running()).isTrue();
    assertThat(running.get(1).failed()).as("QEMU's error fails that query alone").isTrue();
    assertThat(code(running.get(2))).as("not a query-*: never sent").isEqualTo(400);
    assertThat(((QemuVersion) running.get(3).result()).major()).isGreaterThanOrEqualTo(7);
    assertThat(f.request(Addresses.GET, Fixture.name("q")).getString("state")).isEqualTo("RUNNING");
    assertThat(ask(f, "nope", QmpCommands.queryStatus())).singleElement()
        .satisfies(r -> assertThat(code(r)).isEqualTo(404));
  }

  @Test
  void theAnswerCompletesOnTheActorsContextNotTheCallers() throws Exception {
    Fixture f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("c"));
    f.request(Addresses.START, Fixture.name("c"));
    Context caller = f.vertx.getOrCreateContext();
    AtomicReference<Context> completedOn = new AtomicReference<>();
    AtomicReference<Context> askedOn = new AtomicReference<>();
    java.util.concurrent.CompletableFuture<List<AsyncResult<?>>> done = new java.util.concurrent.CompletableFuture<>();
    caller.runOnContext(v -> {
      askedOn.set(Vertx.currentContext());
      f.supervisor.queries("c", List.of(QmpCommands.queryStatus()), TIMEOUT).onComplete(ar -> {
        completedOn.set(Vertx.currentContext());
        done.complete(ar.result());
      });
    });
    assertThat(done.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).get(0).succeeded()).isTrue();
    assertThat(completedOn.get()).as("the actor's context").isNotNull().isNotSameAs(askedOn.get());
  }

  @Test
  void aDeletedVmIsNotFoundAndOneCreatedAgainUnderItsNameAnswersThroughItsNewActor() throws Exception {
    Fixture f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("d"));
    f.request(Addresses.START, Fixture.name("d"));
    assertThat(ask(f, "d", QmpCommands.queryStatus()).get(0).succeeded()).isTrue();
    f.request(Addresses.KILL, Fixture.name("d"));
    f.request(Addresses.DELETE, Fixture.name("d"));
    assertThat(code(ask(f, "d", QmpCommands.queryStatus()).get(0))).isEqualTo(404);
    f.request(Addresses.CREATE, Fixture.spec("d"));
    assertThat(code(ask(f, "d", QmpCommands.queryStatus()).get(0))).as("the new actor, no QEMU yet").isEqualTo(409);
    f.request(Addresses.START, Fixture.name("d"));
    assertThat(ask(f, "d", QmpCommands.queryStatus()).get(0).succeeded()).isTrue();
  }
}
