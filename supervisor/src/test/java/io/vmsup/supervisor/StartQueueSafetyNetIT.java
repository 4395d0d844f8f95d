package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.StartSettings;
import io.vmsup.supervisor.http.AccessToken;
import io.vmsup.supervisor.http.ApiOptions;
import io.vmsup.supervisor.http.HttpApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that waits its turn in the start queue longer than the registry's safety net (start timeout + command
 * timeout + margin) is not answered "did not answer in time" (503) while it goes on to run: the net counts from its
 * turn. Eight holders take the one turn in order, each a QEMU that never opens QMP (it ends FAILED after the start
 * timeout), so the last start waits longer than the whole net, then runs; its HTTP caller hears 200 RUNNING.
 */
class StartQueueSafetyNetIT {

  private static final Duration T = Duration.ofSeconds(120);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
  /** The registry's net for a start: start timeout + command timeout + its 10 s margin. */
  private static final long NET_MS = START_TIMEOUT.plus(COMMAND_TIMEOUT).plusSeconds(10).toMillis();
  private static final int HOLDERS = 8;

  @RegisterExtension
  final SupervisorExtension sup = new SupervisorExtension();

  @Test
  void aStartQueuedLongerThanTheRegistrysLimitIsAnsweredRunningNot503(@TempDir Path tmp) throws Exception {
    // the holders' "QEMU" never opens QMP (each holds the turn until its start timeout); 'w' gets a real QEMU
    Path qemu = tmp.resolve("qemu-holders");
    Files.writeString(qemu, "#!/bin/sh\ncase \"$*\" in *'/vms/h'*) exec sleep 3600;; esac\n"
        + "exec qemu-system-x86_64 \"$@\"\n");
    Files.setPosixFilePermissions(qemu, PosixFilePermissions.fromString("rwxr-xr-x"));
    Fixture f = sup.start(sup.options().toBuilder().starts(new StartSettings(1)).qemuBinary(qemu.toString())
        .startTimeout(START_TIMEOUT).commandTimeout(COMMAND_TIMEOUT).build());
    JsonObject never = new JsonObject().put("restart", "never");
    for (int i = 0; i < HOLDERS; i++) {
      f.request(Addresses.CREATE, Fixture.spec("h" + i, never));
    }
    f.request(Addresses.CREATE, Fixture.spec("w", never));
    // the HTTP edge's own request timeout (1 s) must not cut a start short either
    AccessToken token = AccessToken.of("net-token");
    HttpServer server = Await.result(f.vertx.createHttpServer().requestHandler(HttpApi.router(f.vertx,
        ApiOptions.defaults(token).withRequestTimeout(Duration.ofSeconds(1)))).listen(0, "127.0.0.1"));
    HttpClient client = f.vertx.createHttpClient();

    RequestOptions get = new RequestOptions().setHost("127.0.0.1").setPort(server.actualPort()).setURI("/v1/vms/w")
        .putHeader("Authorization", "Bearer net-token");
    assertThat(Await.result(client.request(get).compose(req -> req.send()).map(r -> (Integer) r.statusCode()), T).intValue())
        .as("a warm client").isEqualTo(200);

    List<Future<JsonObject>> holders = new ArrayList<>();
    for (int i = 0; i < HOLDERS; i++) {
      holders.add(f.vertx.eventBus().<JsonObject>request(Addresses.START, Fixture.name("h" + i)).map(m -> m.body()));
    }
    for (int i = 0; i < HOLDERS; i++) {
      String n = "h" + i;
      f.awaitEvent(e -> isTurn(e, n) || isQueued(e, n), T);
    }
    RequestOptions post = new RequestOptions(get).setMethod(HttpMethod.POST).setURI("/v1/vms/w/start");
    Future<JsonObject> w = client.request(post).compose(req -> req.send()).compose(resp -> resp.body()
        .map(b -> new JsonObject().put("status", resp.statusCode()).put("body", b.toJsonObject())));
    f.awaitEvent(e -> isQueued(e, "w"), T);

    long waited = f.awaitEvent(e -> isTurn(e, "w"), T).getLong("waitedMs");
    assertThat(waited).as("w waited longer than the registry's net, so the test can tell").isGreaterThan(NET_MS);
    JsonObject reply = Await.result(w, T);
    assertThat(reply.getInteger("status")).as("w's reply: " + reply).isEqualTo(200);
    assertThat(reply.getJsonObject("body").getString("state")).isEqualTo("RUNNING");
    // every holder hears its own truth too (the last ones were answered after more than the net since they asked)
    for (Future<JsonObject> h : holders) {
      Throwable t = Await.failure(h, T);
      assertThat(t).isInstanceOf(ReplyException.class);
      assertThat(((ReplyException) t).failureCode()).as(t.getMessage()).isEqualTo(ErrorCode.INTERNAL.code());
    }
    for (int i = 0; i < HOLDERS; i++) {
      assertThat(f.request(Addresses.GET, Fixture.name("h" + i)).getString("state")).isEqualTo("FAILED");
    }
    Await.result(client.close());
    Await.result(server.close());
  }

  private static boolean isTurn(JsonObject e, String vm) {
    return "start-queue".equals(e.getString("type")) && vm.equals(e.getString("vm")) && !e.getBoolean("queued");
  }

  private static boolean isQueued(JsonObject e, String vm) {
    return "start-queue".equals(e.getString("type")) && vm.equals(e.getString("vm")) && e.getBoolean("queued");
  }
}
