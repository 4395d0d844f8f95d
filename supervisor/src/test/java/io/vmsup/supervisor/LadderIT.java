package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ladder's last rungs and the start timeout, with processes that do not cooperate. */
class LadderIT {

  private static final Duration T = Duration.ofSeconds(30);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  @Test
  void aHungQemuIsStoppedThroughEveryRungDownToSigkill() throws Exception {
    Fixture f = supervisors.start(supervisors.options().withCommandTimeout(Duration.ofMillis(300)));
    f.request(Addresses.CREATE, Fixture.spec("h"));
    long stoppedPid = f.request(Addresses.START, Fixture.name("h")).getLong("pid");
    supervisors.stop(stoppedPid);

    long t0 = System.nanoTime();
    JsonObject stopped = f.request(Addresses.STOP, Fixture.name("h").put("graceSeconds", 0.2));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(stopped.getJsonArray("steps").getList()).containsExactly("powerdown", "quit", "sigterm", "sigkill");
    assertThat(stopped.getString("state")).isEqualTo("STOPPED");
    assertThat(stopped.getInteger("exitCode")).isEqualTo(137);
    assertThat(ProcessHandle.of(stoppedPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    // grace 0.2 s + quit wait 1 s + SIGTERM wait 3 s, then SIGKILL acts at once even on a stopped process
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(4000));
  }

  @Test
  void aMissingQemuBinaryEndsFailed() throws Exception {
    Fixture f = supervisors.start(supervisors.options().withQemuBinary(supervisors.dir().resolve("no-such-qemu").toString()));
    f.request(Addresses.CREATE, Fixture.spec("m"));
    ReplyException e = f.failure(Addresses.START, Fixture.name("m"));
    assertThat(e.failureCode()).isEqualTo(500);
    JsonObject body = new JsonObject(e.getMessage());
    // setsid(1) is what the JVM spawns; it reports the failed exec in QEMU's log and exits non-zero
    assertThat(body.getString("message")).contains("QEMU exited during start");
    assertThat(body.getString("state")).isEqualTo("FAILED");
    assertThat(body.getInteger("exitCode")).isNotZero();
    assertThat(String.join("\n", body.getJsonArray("logTail").getList())).contains("no-such-qemu");
    assertThat(f.request(Addresses.GET, Fixture.name("m")).getValue("pid")).isNull();
  }

  @Test
  void aQemuThatNeverOpensQmpFailsAfterTheStartTimeoutWithItsLog() throws Exception {
    Path fake = supervisors.dir().resolve("fake-qemu");
    Files.writeString(fake, "#!/bin/sh\necho \"fake qemu: never opening QMP\"\nexec sleep 60\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    Fixture f = supervisors.start(Fixture.options(supervisors.dir().resolve("state")).withQemuBinary(fake.toString())
        .withStartTimeout(Duration.ofMillis(800)));
    f.request(Addresses.CREATE, Fixture.spec("n"));

    long t0 = System.nanoTime();
    ReplyException e = f.failure(Addresses.START, Fixture.name("n"));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(e.failureCode()).isEqualTo(500);
    JsonObject body = new JsonObject(e.getMessage());
    assertThat(body.getString("message")).contains("QMP not ready within 800 ms");
    assertThat(body.getString("state")).isEqualTo("FAILED");
    assertThat(body.getInteger("exitCode")).isEqualTo(137);
    assertThat(body.getJsonArray("logTail").getList()).contains("fake qemu: never opening QMP");
    assertThat(took).as("waited for the start timeout").isGreaterThanOrEqualTo(Duration.ofMillis(800));
    assertThat(f.awaitState("n", "FAILED", T).getString("reason")).isEqualTo("start-failed");
  }

  @Test
  void aRestartThatFailsToStartIsRetriedWithBackoffUntilTheStartLimit() throws Exception {
    Path broken = supervisors.dir().resolve("broken");
    Path wrapper = supervisors.dir().resolve("qemu-until-broken");
    Files.writeString(wrapper, "#!/bin/sh\nif [ -e '" + broken + "' ]; then echo 'wrapper: QEMU is broken' >&2; "
        + "exit 1; fi\nexec qemu-system-x86_64 \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    Fixture f = supervisors.start(Fixture.options(supervisors.dir().resolve("state")).withQemuBinary(wrapper.toString()));
    f.request(Addresses.CREATE, Fixture.spec("r", new JsonObject().put("restart", "on-failure")
        .put("backoffInitial", "20ms").put("startLimitBurst", 3).put("startLimitInterval", "60s")));
    long pid = f.request(Addresses.START, Fixture.name("r")).getLong("pid");
    f.awaitState("r", "STARTING", T);
    f.awaitState("r", "RUNNING", T);

    Files.createFile(broken);
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    f.awaitState("r", "CRASHED", T);
    List<String> seen = new ArrayList<>();
    while (seen.isEmpty() || !seen.get(seen.size() - 1).endsWith("start-limit")) {
      JsonObject e = f.awaitEvent(x -> "state".equals(x.getString("type")) && "r".equals(x.getString("vm")), T);
      seen.add(e.getString("to") + " " + e.getString("reason"));
    }
    assertThat(seen).containsExactly("STARTING restart", "FAILED start-failed", "STARTING restart",
        "FAILED start-failed", "STARTING restart", "FAILED start-failed", "FAILED start-limit");
    JsonObject view = f.request(Addresses.GET, Fixture.name("r"));
    assertThat(view.getString("state")).isEqualTo("FAILED");
    assertThat(view.getInteger("restarts")).isEqualTo(3);

    Files.delete(broken); // the operator mends QEMU: an explicit start works again
    assertThat(f.request(Addresses.START, Fixture.name("r")).getString("state")).isEqualTo("RUNNING");
  }
}
