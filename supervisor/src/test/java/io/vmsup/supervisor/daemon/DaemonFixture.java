package io.vmsup.supervisor.daemon;

import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.client.ApiClient;
import io.vmsup.supervisor.http.impl.ResponseContract;
import io.vmsup.supervisor.policy.PassthroughMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** An in-process daemon on a free port with its own state directory, supervising real QEMU. */
final class DaemonFixture implements AutoCloseable {

  static final Duration LONG = Duration.ofSeconds(60);

  final Daemon daemon;
  final ApiClient api;
  private boolean closed;

  private DaemonFixture(Daemon daemon) {
    this.daemon = daemon;
    this.api = new ApiClient(daemon.url(), daemon.token().value());
  }

  static DaemonFixture start(Path stateDir) throws Exception {
    return start(config(stateDir));
  }

  static DaemonConfig config(Path stateDir) {
    return new DaemonConfig("127.0.0.1", 0, stateDir, "qemu-system-x86_64", false, null, null,
        Duration.ofSeconds(1), 64 * 1024, List.of(Path.of("/var/lib/vmsup")),
        PassthroughMode.RESTRICTED);
  }

  static DaemonFixture start(DaemonConfig config) throws Exception {
    return new DaemonFixture(Await.result(Daemon.start(config, SupervisorBinding::start), LONG));
  }

  /** One request; the answer must be one the OpenAPI document describes ({@link ResponseContract}). */
  ApiClient.Response send(String method, String path, JsonObject body) throws Exception {
    ApiClient.Response r = api.send(method, path, body == null ? null : body.encode());
    ResponseContract.check(method, path, r.status(), r.contentType(), null, r.body());
    return r;
  }

  JsonObject ok(String method, String path, JsonObject body) throws Exception {
    ApiClient.Response r = send(method, path, body);
    if (!r.ok()) {
      throw new AssertionError(method + " " + path + " answered " + r.status() + ": " + r.body());
    }
    return r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body());
  }

  /** Kills every VM still running, then stops the daemon; once only (a second close does nothing). */
  @Override
  public void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    JsonObject list = ok("GET", "/v1/vms", null);
    for (Object o : list.getJsonArray("vms")) {
      JsonObject vm = (JsonObject) o;
      if (vm.getValue("pid") != null) {
        send("POST", "/v1/vms/" + vm.getString("name") + "/kill", null);
      }
    }
    Await.result(daemon.stop(), LONG);
  }
}
