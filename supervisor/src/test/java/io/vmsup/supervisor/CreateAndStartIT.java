package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.CreateAndStart;
import io.vmsup.supervisor.launch.QemuLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Create-and-start in one request ({@code vmsup.vm.create} with the {@link CreateAndStart} header) against real
 * QEMUs: the reply is RUNNING with every record on disk (the intent written with the spec is the one QEMU carries), a
 * restarted daemon adopts that QEMU, a failed start tells that the VM was created, and a header that is not a
 * boolean creates nothing.
 */
class CreateAndStartIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  @Test
  void oneRequestCreatesAndStartsWithItsRecordsOnDiskAndARestartAdoptsIt() throws Exception {
    Fixture f = supervisors.start();
    JsonObject view = createAndStart(f, Fixture.spec("a"), "true");
    assertThat(view.getString("state")).isEqualTo("RUNNING");
    long pid = view.getLong("pid");
    Path dir = supervisors.dir().resolve("vms/a");
    assertThat(Files.readString(dir.resolve("desired")).trim()).isEqualTo("RUNNING");
    JsonObject runtime = new JsonObject(Files.readString(dir.resolve("runtime.json")));
    assertThat(runtime.getLong("pid")).as("the reply waited for the pid's record").isEqualTo(pid);
    assertThat(environ(pid)).as("QEMU carries the nonce written with the VM's spec")
        .contains(QemuLauncher.INCARNATION_ENV + "=" + runtime.getString("nonce"));
    assertThat(new JsonObject(Files.readString(dir.resolve("spec.json"))).getString("name")).isEqualTo("a");
    f.awaitState("a", "STARTING", WAIT);
    f.awaitState("a", "RUNNING", WAIT);
    // the same VM's next start writes its own intent again (the create's was for the first start only)
    f.request(Addresses.KILL, Fixture.name("a"));
    long again = f.request(Addresses.START, Fixture.name("a")).getLong("pid");
    JsonObject second = new JsonObject(Files.readString(dir.resolve("runtime.json")));
    assertThat(second.getLong("pid")).isEqualTo(again);
    assertThat(second.getString("nonce")).isNotEqualTo(runtime.getString("nonce"));

    f.close();
    Fixture g = supervisors.start();
    JsonObject adopted = g.request(Addresses.GET, Fixture.name("a"));
    assertThat(adopted.getString("state")).isEqualTo("RUNNING");
    assertThat(adopted.getLong("pid")).isEqualTo(again);
  }

  @Test
  void aStartThatFailsAfterTheCreateSaysTheVmWasCreated() throws Exception {
    Fixture f = supervisors.start(supervisors.options()
        .withQemuBinary(supervisors.dir().resolve("no-such-qemu").toString()));
    ReplyException e = failure(f, Fixture.spec("m"), "true");
    assertThat(e.failureCode()).isEqualTo(500);
    JsonObject body = new JsonObject(e.getMessage());
    assertThat(body.getString("message")).startsWith("VM 'm' was created, but its start failed: ")
        .contains("QEMU exited during start");
    assertThat(body.getBoolean("created")).isTrue();
    assertThat(body.getString("state")).isEqualTo("FAILED");
    assertThat(body.getInteger("exitCode")).isNotZero();
    assertThat(String.join("\n", body.getJsonArray("logTail").getList())).contains("no-such-qemu");
    assertThat(body.getJsonObject("vm").getString("state")).isEqualTo("FAILED");
    JsonObject got = f.request(Addresses.GET, Fixture.name("m"));
    assertThat(got.getString("state")).as("the VM exists").isEqualTo("FAILED");
    assertThat(got.getValue("pid")).isNull();
    Path dir = supervisors.dir().resolve("vms/m");
    assertThat(dir.resolve("spec.json")).exists();
    assertThat(dir.resolve("runtime.json")).as("no QEMU runs: no runtime record").doesNotExist();
  }

  @Test
  void aStartHeaderThatIsNotABooleanCreatesNothing() throws Exception {
    Fixture f = supervisors.start();
    for (String bad : List.of("yes", "TRUE", "", "1")) {
      ReplyException e = failure(f, Fixture.spec("x"), bad);
      assertThat(e.failureCode()).as(bad).isEqualTo(400);
      JsonObject body = new JsonObject(e.getMessage());
      assertThat(body.getJsonArray("violations").getJsonObject(0).getString("path")).isEqualTo("headers.start");
    }
    assertThat(f.failure(Addresses.GET, Fixture.name("x")).failureCode()).isEqualTo(404);
    assertThat(supervisors.dir().resolve("vms/x")).doesNotExist();
    JsonObject plain = createAndStart(f, Fixture.spec("y"), "false");
    assertThat(plain.getString("state")).as("start=false is a plain create").isEqualTo("DEFINED");
  }

  static JsonObject createAndStart(Fixture f, JsonObject spec, String start) throws Exception {
    return Await.result(f.vertx.eventBus().<JsonObject>request(Addresses.CREATE, spec, options(start))
        .map(m -> m.body()), WAIT);
  }

  static ReplyException failure(Fixture f, JsonObject spec, String start) throws Exception {
    return (ReplyException) Await.failure(f.vertx.eventBus().<JsonObject>request(Addresses.CREATE, spec,
        options(start)), WAIT);
  }

  private static DeliveryOptions options(String start) {
    return new DeliveryOptions().addHeader(CreateAndStart.HEADER, start).setSendTimeout(WAIT.toMillis());
  }

  private static String environ(long pid) throws Exception {
    return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"))).replace('\0', '\n');
  }
}
