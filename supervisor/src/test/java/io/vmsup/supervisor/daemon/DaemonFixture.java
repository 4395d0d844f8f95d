package io.vmsup.supervisor.daemon;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.client.ApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** An in-process daemon on a free port with its own state directory, supervising real QEMU. */
final class DaemonFixture implements AutoCloseable {

  final Daemon daemon;
  final ApiClient api;

  private DaemonFixture(Daemon daemon) {
    this.daemon = daemon;
    this.api = new ApiClient(daemon.url(), daemon.token().value());
  }

  static DaemonFixture start(Path stateDir) throws Exception {
    return start(config(stateDir));
  }

  static DaemonConfig config(Path stateDir) {
    return new DaemonConfig("127.0.0.1", 0, stateDir, "qemu-system-x86_64", false, null, null,
        Duration.ofSeconds(1), 64 * 1024);
  }

  static DaemonFixture start(DaemonConfig config) throws Exception {
    return new DaemonFixture(await(Daemon.start(config, SupervisorBinding::start)));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  ApiClient.Response send(String method, String path, JsonObject body) throws Exception {
    return api.send(method, path, body == null ? null : body.encode());
  }

  JsonObject ok(String method, String path, JsonObject body) throws Exception {
    ApiClient.Response r = send(method, path, body);
    if (!r.ok()) {
      throw new AssertionError(method + " " + path + " answered " + r.status() + ": " + r.body());
    }
    return r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body());
  }

  /** Kills every VM still running, then stops the daemon. */
  @Override
  public void close() throws Exception {
    JsonObject list = ok("GET", "/v1/vms", null);
    for (Object o : list.getJsonArray("vms")) {
      JsonObject vm = (JsonObject) o;
      if (vm.getValue("pid") != null) {
        send("POST", "/v1/vms/" + vm.getString("name") + "/kill", null);
      }
    }
    await(daemon.stop());
  }
}
