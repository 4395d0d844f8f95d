package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vmsup.client.ClientOptions;
import io.vmsup.client.ConsoleLine;
import io.vmsup.client.ErrorCode;
import io.vmsup.client.EventStream;
import io.vmsup.client.StateEvent;
import io.vmsup.client.VmEvent;
import io.vmsup.client.VmState;
import io.vmsup.client.VmView;
import io.vmsup.client.VmsupClient;
import io.vmsup.client.VmsupException;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.audit.AuditLog;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java client ({@code vmsup-client}) in the daemon's own JVM against a real daemon and real QEMU: every call
 * answers with its record, events arrive as a read stream in order, failures carry the daemon's code, the token
 * travels in a header and its scope is applied (the read-only token reads but changes nothing; an unknown token is
 * refused).
 */
class JavaClientIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();
  private DaemonFixture daemon;
  private VmsupClient admin;

  @BeforeEach
  void start() throws Exception {
    daemon = daemons.start();
    admin = VmsupClient.create(daemon.daemon.vertx(),
        ClientOptions.defaults().withToken(daemon.daemon.token().value()));
  }

  @Test
  void everyCallAnswersWithItsRecordAndEventsStreamInOrder() throws Exception {
    List<VmEvent> events = new CopyOnWriteArrayList<>();
    EventStream<VmEvent> stream = admin.events("c1").handler(events::add);
    Await.result(stream.registered());

    VmView created = Await.result(admin.create(TestSpecs.machineNone("c1")));
    assertThat(created.state()).isEqualTo(VmState.DEFINED);
    assertThat(created.spec().getString("name")).isEqualTo("c1");
    VmView running = Await.result(admin.start("c1"));
    assertThat(running.state()).isEqualTo(VmState.RUNNING);
    assertThat(running.pid()).isPositive();
    assertThat(running.qemuVersion()).startsWith("7.");
    assertThat(Await.result(admin.qmp("c1", "query-status", null)).asObject().getString("status"))
        .isEqualTo("running");
    assertThat(Await.result(admin.pause("c1")).state()).isEqualTo(VmState.PAUSED);
    assertThat(Await.result(admin.get("c1")).state()).isEqualTo(VmState.PAUSED);
    assertThat(Await.result(admin.resume("c1")).state()).isEqualTo(VmState.RUNNING);
    var argv = Await.result(admin.render("c1"));
    assertThat(argv.source()).isEqualTo("process");
    assertThat(argv.pid()).isEqualTo(running.pid());
    assertThat(argv.argv()).contains("-machine");
    var attached = Await.result(admin.attach("c1", new JsonObject().put("kind", "iothread").put("id", "io1")));
    assertThat(attached.live()).isTrue();
    assertThat(attached.steps()).containsExactly("object-add");
    var detached = Await.result(admin.detach("c1", "io1", Duration.ofSeconds(5)));
    assertThat(detached.steps()).containsExactly("object-del");
    assertThat(Await.result(admin.list())).extracting(VmView::name).containsExactly("c1");
    var stopped = Await.result(admin.stop("c1", Duration.ofSeconds(1)));
    assertThat(stopped.vm().state()).isEqualTo(VmState.STOPPED);
    assertThat(stopped.steps()).isNotEmpty();
    Await.result(admin.delete("c1"));

    VmsupException gone = (VmsupException) Await.failure(admin.get("c1"));
    assertThat(gone.code()).isEqualTo(ErrorCode.NOT_FOUND);
    Await.until("the STOPPED event", () -> events.stream().anyMatch(e -> e instanceof StateEvent s
        && s.to() == VmState.STOPPED), Duration.ofSeconds(10));
    assertThat(events).filteredOn(e -> e instanceof StateEvent).extracting(e -> ((StateEvent) e).to())
        .containsExactly(VmState.STARTING, VmState.RUNNING, VmState.PAUSED, VmState.RUNNING, VmState.STOPPING,
            VmState.STOPPED);
    assertThat(events).allMatch(e -> "c1".equals(e.vm()) && e.timestamp() != null);
    Await.result(stream.close());
  }

  @Test
  void createAndStartIsOneRequestAndACreateThatFailsStartsNothing() throws Exception {
    VmView running = Await.result(admin.createAndStart(TestSpecs.machineNone("s1")));
    assertThat(running.state()).isEqualTo(VmState.RUNNING);
    assertThat(running.pid()).isPositive();
    assertThat(Await.result(admin.get("s1")).pid()).isEqualTo(running.pid());
    VmsupException taken = (VmsupException) Await.failure(admin.createAndStart(TestSpecs.machineNone("s1")));
    assertThat(taken.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(taken.details().getValue("created")).as("not created, so no start was tried").isNull();
    assertThat(Await.result(admin.get("s1")).pid()).as("the running VM is untouched").isEqualTo(running.pid());
    assertThat(Await.result(admin.kill("s1")).steps()).containsExactly("kill");
  }

  @Test
  void failuresCarryTheDaemonsCodeAndDetails() throws Exception {
    VmsupException invalid = (VmsupException) Await.failure(admin.create(TestSpecs.twoProblems()));
    assertThat(invalid.code()).isEqualTo(ErrorCode.INVALID);
    assertThat(invalid.wireCode()).isEqualTo(400);
    assertThat(invalid.violations()).hasSizeGreaterThanOrEqualTo(2).anyMatch(v -> v.path().equals("name"));

    Await.result(admin.create(TestSpecs.machineNone("f1")));
    VmsupException taken = (VmsupException) Await.failure(admin.create(TestSpecs.machineNone("f1")));
    assertThat(taken.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(((VmsupException) Await.failure(admin.start("nope"))).code()).isEqualTo(ErrorCode.NOT_FOUND);

    Await.result(admin.start("f1"));
    VmsupException again = (VmsupException) Await.failure(admin.start("f1"));
    assertThat(again.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(again.state()).isEqualTo("RUNNING");
    VmsupException policy = (VmsupException) Await.failure(admin.qmp("f1", "human-monitor-command",
        new JsonObject().put("command-line", "info status")));
    assertThat(policy.code()).isEqualTo(ErrorCode.FORBIDDEN);
    VmsupException notAQmpCommand = (VmsupException) Await.failure(admin.qmp("f1", "no-such-command", null));
    assertThat(notAQmpCommand.code()).isEqualTo(ErrorCode.INVALID);
    assertThat(notAQmpCommand.details().getString("qmpClass")).isEqualTo("CommandNotFound");
    assertThat(Await.result(admin.kill("f1")).steps()).containsExactly("kill");
  }

  @Test
  void theReadTokenReadsButEveryMutationIsForbidden() throws Exception {
    Await.result(admin.create(TestSpecs.machineNone("r1")));
    Await.result(admin.start("r1"));
    VmsupClient reader = VmsupClient.create(daemon.daemon.vertx(),
        ClientOptions.defaults().withToken(daemon.daemon.tokens().read().value()));

    assertThat(Await.result(reader.list())).extracting(VmView::name).containsExactly("r1");
    assertThat(Await.result(reader.get("r1")).state()).isEqualTo(VmState.RUNNING);
    List<Future<?>> mutations = List.of(reader.create(TestSpecs.machineNone("r2")), reader.stop("r1"),
        reader.kill("r1"), reader.pause("r1"), reader.reset("r1"), reader.delete("r1"),
        reader.qmp("r1", "quit", null), reader.attach("r1", new JsonObject().put("kind", "iothread").put("id", "x")),
        reader.detach("r1", "x", null), reader.consoleWrite("r1", "x\n"));
    for (Future<?> m : mutations) {
      assertThat(((VmsupException) Await.failure(m)).code()).isEqualTo(ErrorCode.FORBIDDEN);
    }
    assertThat(Await.result(admin.get("r1")).state()).isEqualTo(VmState.RUNNING);
    assertThat(Await.result(admin.list())).hasSize(1);
    Await.result(daemon.daemon.audit().flush());
    List<JsonObject> audit = Files.readAllLines(AuditLog.file(daemons.state())).stream()
        .map(JsonObject::new).toList();
    assertThat(audit).filteredOn(e -> "eventbus".equals(e.getString("transport")) && "read".equals(e.getString("scope")))
        .hasSize(mutations.size()).allMatch(e -> "forbidden".equals(e.getString("outcome")));
  }

  @Test
  void anUnknownTokenIsRefusedAndAForgedScopeHeaderDoesNotHelp() throws Exception {
    Await.result(admin.create(TestSpecs.machineNone("u1")));
    VmsupClient stranger = VmsupClient.create(daemon.daemon.vertx(),
        ClientOptions.defaults().withToken("not-the-token-of-this-daemon"));

    assertThat(((VmsupException) Await.failure(stranger.list())).code()).isEqualTo(ErrorCode.UNAUTHORIZED);
    assertThat(((VmsupException) Await.failure(stranger.start("u1"))).code()).isEqualTo(ErrorCode.UNAUTHORIZED);
    assertThat(Await.result(admin.get("u1")).state()).isEqualTo(VmState.DEFINED);

    // the read token beside a scope header claiming admin: the token's scope replaces it
    var forged = new io.vertx.core.eventbus.DeliveryOptions()
        .addHeader(ClientOptions.AUTHORIZATION, "Bearer " + daemon.daemon.tokens().read().value())
        .addHeader("VMSUP-SCOPE", "admin");
    Throwable refused = Await.failure(daemon.daemon.vertx().eventBus()
        .request("vmsup.vm.start", new JsonObject().put("name", "u1"), forged));
    assertThat(((io.vertx.core.eventbus.ReplyException) refused).failureCode()).isEqualTo(403);
    assertThat(Await.result(admin.get("u1")).state()).isEqualTo(VmState.DEFINED);
  }

  @Test
  void consoleLinesStreamAndReadBackWithTheirOffsets() throws Exception {
    Await.result(admin.create(TestSpecs.machineNone("k1")));
    Await.result(admin.start("k1"));
    List<ConsoleLine> live = new CopyOnWriteArrayList<>();
    EventStream<ConsoleLine> console = admin.console("k1").handler(live::add);
    Await.result(console.registered());
    // the daemon follows the serial log QEMU appends to; a guest's output is two lines appended to it
    Files.writeString(daemons.state().resolve("vms/k1/serial.log"), "hello\nworld\n", StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);

    Await.until("two console lines", () -> live.size() >= 2, Duration.ofSeconds(10));
    assertThat(live).containsExactly(new ConsoleLine("k1", "hello", 0), new ConsoleLine("k1", "world", 6));
    var read = Await.result(admin.consoleRead("k1", 10, null));
    assertThat(read.lines()).containsExactlyElementsOf(live);
    assertThat(read.next()).isEqualTo(12);
    assertThat(Await.result(admin.consoleRead("k1", 10, 0L)).lines()).extracting(ConsoleLine::line)
        .containsExactly("world");
    Await.result(console.close());
  }

  @Test
  void withoutADaemonAtTheAddressTheCallIsUnavailable() throws Exception {
    VmsupClient elsewhere = admin.onHost("no-such-host");
    VmsupException none = (VmsupException) Await.failure(elsewhere.list());
    assertThat(none.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(none.getMessage()).contains("vmsup.host.no-such-host.vm.list");
  }
}
