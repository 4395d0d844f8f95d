package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.bench.QmpCut;
import io.vmsup.supervisor.api.Addresses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One VM's trouble never stalls another; many VMs at once; the API's failure codes. */
class IsolationIT {

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  @Test
  void aHungQemuTimesOutWith503WhileTheOtherKeepsAnswering() throws Exception {
    Fixture f = supervisors.start(supervisors.options().withCommandTimeout(Duration.ofMillis(500)));
    f.request(Addresses.CREATE, Fixture.spec("hung"));
    f.request(Addresses.CREATE, Fixture.spec("fine"));
    long stoppedPid = f.request(Addresses.START, Fixture.name("hung")).getLong("pid");
    f.request(Addresses.START, Fixture.name("fine"));
    for (int i = 0; i < 20; i++) {
      f.request(Addresses.QMP, Fixture.name("fine").put("execute", "query-status")); // warm-up (JIT), not measured
    }
    supervisors.stop(stoppedPid);

    long t0 = System.nanoTime();
    Future<Message<JsonObject>> hung = f.vertx.eventBus().request(Addresses.QMP,
        Fixture.name("hung").put("execute", "query-status"));
    for (int i = 0; i < 50; i++) {
      JsonObject r = f.request(Addresses.QMP, Fixture.name("fine").put("execute", "query-status"));
      assertThat(r.getJsonObject("return").getBoolean("running")).isTrue();
    }
    assertThat(f.request(Addresses.GET, Fixture.name("hung")).getString("state")).isEqualTo("RUNNING");
    // how fast the healthy VM answers meanwhile is a figure of `./vmsup bench supervision`, not a limit here

    ReplyException e = (ReplyException) Await.result(hung.transform(ar -> Future.succeededFuture(ar.cause())),
        Duration.ofSeconds(10));
    long waited = System.nanoTime() - t0;
    assertThat(e.failureCode()).isEqualTo(503);
    assertThat(new JsonObject(e.getMessage()).getString("error")).isEqualTo("unavailable");
    assertThat(Duration.ofNanos(waited)).as("the hung request waited for its timeout")
        .isGreaterThanOrEqualTo(Duration.ofMillis(450));
  }

  @Test
  void fiftyVmsCreatedAndStartedConcurrentlyAllRun() throws Exception {
    Fixture f = supervisors.start();
    List<Future<Message<JsonObject>>> creates = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      creates.add(f.vertx.eventBus().request(Addresses.CREATE, Fixture.spec("vm" + i)));
    }
    Await.result(Future.all(creates), Duration.ofSeconds(60));
    List<Future<Message<JsonObject>>> starts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      starts.add(f.vertx.eventBus().request(Addresses.START, Fixture.name("vm" + i)));
    }
    Await.result(Future.all(starts), Duration.ofSeconds(120));
    JsonArray vms = f.request(Addresses.LIST, new JsonObject()).getJsonArray("vms");
    assertThat(vms).hasSize(50);
    for (Object o : vms) {
      JsonObject v = (JsonObject) o;
      assertThat(v.getString("state")).as(v.getString("name")).isEqualTo("RUNNING");
      assertThat(ProcessHandle.of(v.getLong("pid")).map(ProcessHandle::isAlive).orElse(false)).isTrue();
    }
    assertThat(f.supervisor.vms()).hasSize(50).allSatisfy(h -> {
      assertThat(h.state()).isEqualTo(io.vmsup.supervisor.api.VmState.RUNNING);
      assertThat(QmpCut.connections(f.qmpSocket(h.name()))).as("the daemon's QMP connection").isNotEmpty();
      assertThat(h.pid()).isPositive();
      assertThat(h.lastStartDuration()).isPositive();
      assertThat(h.startedAt()).isNotNull();
    });
  }

  @Test
  void failuresCarryTheirCodes() throws Exception {
    Fixture f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("dup"));
    ReplyException dup = f.failure(Addresses.CREATE, Fixture.spec("dup"));
    assertThat(dup.failureCode()).isEqualTo(409);
    assertThat(new JsonObject(dup.getMessage()).getString("error")).isEqualTo("conflict");

    ReplyException missing = f.failure(Addresses.START, Fixture.name("nope"));
    assertThat(missing.failureCode()).isEqualTo(404);
    assertThat(new JsonObject(missing.getMessage()).getString("error")).isEqualTo("not-found");

    ReplyException invalid = f.failure(Addresses.CREATE, new JsonObject().put("name", "Bad Name!")
        .put("memory", new JsonObject().put("size", -1)).put("supervision", new JsonObject().put("restart", "sometimes")));
    assertThat(invalid.failureCode()).isEqualTo(400);
    JsonObject body = new JsonObject(invalid.getMessage());
    assertThat(body.getInteger("code")).isEqualTo(400);
    assertThat(body.getString("error")).isEqualTo("invalid");
    assertThat(body.getJsonArray("violations").stream().map(v -> ((JsonObject) v).getString("path")))
        .containsExactlyInAnyOrder("name", "memory.size", "supervision.restart");
    assertThat(f.failure(Addresses.GET, Fixture.name("nope")).failureCode()).isEqualTo(404);
    assertThat(f.failure(Addresses.STOP, new JsonObject()).failureCode()).isEqualTo(404);
  }
}
