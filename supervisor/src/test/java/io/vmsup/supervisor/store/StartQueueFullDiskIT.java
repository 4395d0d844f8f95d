package io.vmsup.supervisor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.FleetHooks;
import io.vmsup.supervisor.api.StartSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A start whose {@code desired} write fails (a full disk) while the fleet's {@code mayRun} is still being answered (a
 * fleet directory lookup is asynchronous) must not take a turn of the start queue afterwards: it was given back
 * already, and a turn taken by a start that is over is never given back. With one turn, every later start waited
 * forever.
 */
class StartQueueFullDiskIT {

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  @Test
  void aStartFailedBeforeItsTurnNeverHoldsOne() throws Exception {
    assumeTrue(Tmpfs.root(), "mounting a tmpfs needs root (CI runs as root)");
    Tmpfs fs = Tmpfs.mount("2m");
    supervisors.afterProcesses(fs);
    Path state = fs.mountPoint.resolve("s");
    supervisors.killAlsoUnder(state);
    SlowDirectory fleet = new SlowDirectory();
    Fixture f = supervisors.start(Fixture.options(state).toBuilder().fleet(fleet).starts(new StartSettings(1))
        .build());
    f.request(Addresses.CREATE, Fixture.spec("a"));
    f.request(Addresses.CREATE, Fixture.spec("b"));

    fs.fill();
    assertThat(f.failure(Addresses.START, Fixture.name("a")).failureCode()).isEqualTo(507);
    Await.until("a's mayRun answered", () -> fleet.answered.get() == 1, Duration.ofSeconds(30));
    fs.free();

    JsonObject b = f.request(Addresses.START, Fixture.name("b"));
    assertThat(b.getString("state")).isEqualTo("RUNNING");
  }

  /** The single host's hooks, with {@code mayRun} answered 300 ms later, as a fleet directory lookup is. */
  static final class SlowDirectory implements FleetHooks {
    final AtomicInteger answered = new AtomicInteger();

    @Override
    public Future<Void> mayRun(String name, JsonObject spec) {
      Promise<Void> p = Promise.promise();
      Vertx.currentContext().owner().setTimer(300, id -> {
        p.complete();
        answered.incrementAndGet();
      });
      return p.future();
    }

    @Override
    public String address(String plain) {
      return FleetHooks.single().address(plain);
    }

    @Override
    public Future<Void> claim(String name) {
      return FleetHooks.single().claim(name);
    }

    @Override
    public Future<Void> release(String name) {
      return FleetHooks.single().release(name);
    }

    @Override
    public Future<Void> forget(String name) {
      return FleetHooks.single().forget(name);
    }

    @Override
    public Future<Void> announce(Collection<String> names) {
      return FleetHooks.single().announce(names);
    }
  }
}
