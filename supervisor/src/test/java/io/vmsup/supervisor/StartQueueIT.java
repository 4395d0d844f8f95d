package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.StartSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The start queue ({@code maxConcurrentStarts}) with real QEMUs: starts beyond the limit wait in order and every one
 * runs; no more than the limit hold a turn between their turn and RUNNING; a stop or delete of a waiting start takes it
 * out (STOPPED, gone) without a QEMU ever spawned, and the queue keeps its count afterwards.
 */
class StartQueueIT {

  private static final Duration T = Duration.ofSeconds(60);

  @RegisterExtension
  final SupervisorExtension sup = new SupervisorExtension();

  @Test
  void sixStartsWithAQueueOfTwoNeverHoldMoreThanTwoTurnsAndAllRun() throws Exception {
    Fixture f = sup.start(sup.options().toBuilder().starts(new StartSettings(2)).build());
    List<Future<JsonObject>> starts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      f.request(Addresses.CREATE, Fixture.spec("q" + i));
    }
    for (int i = 0; i < 6; i++) {
      starts.add(f.vertx.eventBus().<JsonObject>request(Addresses.START, Fixture.name("q" + i)).map(m -> m.body()));
    }
    for (Future<JsonObject> s : starts) {
      assertThat(Await.result(s, T).getString("state")).isEqualTo("RUNNING");
    }
    // every event in publication order: a turn is handed on only after the holder's RUNNING was published
    List<JsonObject> all = new ArrayList<>();
    f.events.drainTo(all);
    int holding = 0;
    int most = 0;
    int turns = 0;
    for (JsonObject e : all) {
      if ("start-queue".equals(e.getString("type")) && !e.getBoolean("queued")) {
        holding++;
        turns++;
        assertThat(e.getInteger("limit")).isEqualTo(2);
      } else if ("state".equals(e.getString("type")) && "RUNNING".equals(e.getString("to"))) {
        holding--;
      }
      most = Math.max(most, holding);
    }
    assertThat(turns).as("one turn per start").isEqualTo(6);
    assertThat(most).as("turns held at once").isBetween(1, 2);
    assertThat(CrashWindowIT.qemusOf(sup.dir())).hasSize(6);
  }

  @Test
  void aStopOrDeleteOfAWaitingStartSpawnsNothingAndTheQueueGoesOn(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    // QEMU for VM 'hold' waits for a gate file before it execs (same pid): its start holds the only turn meanwhile
    Path gate = tmp.resolve("gate");
    Path qemu = tmp.resolve("qemu-gated");
    Files.writeString(qemu, "#!/bin/sh\ncase \"$*\" in *'/vms/hold/'*) while [ ! -e '" + gate
        + "' ]; do sleep 0.02; done;; esac\nexec qemu-system-x86_64 \"$@\"\n");
    Files.setPosixFilePermissions(qemu, PosixFilePermissions.fromString("rwxr-xr-x"));
    Fixture f = sup.start(sup.options().toBuilder().starts(new StartSettings(1)).qemuBinary(qemu.toString()).build());
    for (String n : List.of("hold", "b", "c")) {
      f.request(Addresses.CREATE, Fixture.spec(n));
    }
    Future<JsonObject> hold = f.vertx.eventBus().<JsonObject>request(Addresses.START, Fixture.name("hold"))
        .map(m -> m.body());
    f.awaitEvent(e -> isTurn(e, "hold"), T);
    Future<JsonObject> b = f.vertx.eventBus().<JsonObject>request(Addresses.START, Fixture.name("b")).map(m -> m.body());
    JsonObject bQueued = f.awaitEvent(e -> isQueued(e, "b"), T);
    assertThat(bQueued.getInteger("ahead")).isZero();
    Future<JsonObject> c = f.vertx.eventBus().<JsonObject>request(Addresses.START, Fixture.name("c")).map(m -> m.body());
    assertThat(f.awaitEvent(e -> isQueued(e, "c"), T).getInteger("ahead")).isEqualTo(1);

    assertThat(f.request(Addresses.STOP, Fixture.name("b")).getString("state")).isEqualTo("STOPPED");
    assertThat(failureCode(b)).isEqualTo(409);
    assertThat(f.awaitState("b", "STOPPING", T).getString("reason")).isEqualTo("stop");
    f.request(Addresses.DELETE, Fixture.name("c"));
    assertThat(failureCode(c)).isEqualTo(409);
    assertThat(f.failure(Addresses.GET, Fixture.name("c")).failureCode()).isEqualTo(404);

    Files.writeString(gate, "open");
    assertThat(Await.result(hold, T).getString("state")).isEqualTo("RUNNING");
    assertThat(qemusWith("/vms/b/")).as("b never spawned").isEmpty();
    assertThat(qemusWith("/vms/c/")).as("c never spawned").isEmpty();
    assertThat(f.request(Addresses.START, Fixture.name("b")).getString("state")).as("the turn came back")
        .isEqualTo("RUNNING");
    assertThat(Files.readString(sup.dir().resolve("vms/b/desired")).trim()).isEqualTo("RUNNING");
  }

  private static boolean isTurn(JsonObject e, String vm) {
    return "start-queue".equals(e.getString("type")) && vm.equals(e.getString("vm")) && !e.getBoolean("queued");
  }

  private static boolean isQueued(JsonObject e, String vm) {
    return "start-queue".equals(e.getString("type")) && vm.equals(e.getString("vm")) && e.getBoolean("queued");
  }

  private static int failureCode(Future<JsonObject> f) throws Exception {
    Throwable t = Await.failure(f, T);
    assertThat(t).isInstanceOf(ReplyException.class);
    return ((ReplyException) t).failureCode();
  }

  private List<Long> qemusWith(String part) {
    String needle = sup.dir().resolve(part.substring(1)).toString();
    return ProcessHandle.allProcesses().filter(p -> Fixture.cmdline(p.pid()).contains(needle + "/"))
        .map(ProcessHandle::pid).toList();
  }
}
