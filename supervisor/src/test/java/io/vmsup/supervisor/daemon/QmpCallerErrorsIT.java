package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.client.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** QMP pass-through: QEMU's CommandNotFound, GenericError and DeviceNotFound are the caller's error (400), with the QMP class. */
class QmpCallerErrorsIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void anUnknownCommandOrBadArgumentsAre400() throws Exception {
    DaemonFixture daemon = daemons.start();
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("qe"));
    daemon.ok("POST", "/v1/vms/qe/start", null);
    ApiClient.Response unknown = daemon.send("POST", "/v1/vms/qe/qmp",
        new JsonObject().put("execute", "no-such-command"));
    assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
    assertThat(unknown.body()).contains("CommandNotFound");
    ApiClient.Response bad = daemon.send("POST", "/v1/vms/qe/qmp", new JsonObject().put("execute", "query-status")
        .put("arguments", new JsonObject().put("bogus", 1)));
    assertThat(bad.status()).as(bad.body()).isEqualTo(400);
    assertThat(bad.body()).contains("GenericError");
    ApiClient.Response absent = daemon.send("POST", "/v1/vms/qe/qmp", new JsonObject().put("execute", "qom-set")
        .put("arguments", new JsonObject().put("path", "/objects/none").put("property", "x").put("value", 1)));
    assertThat(absent.status()).as(absent.body()).isEqualTo(400);
    assertThat(absent.body()).contains("DeviceNotFound");
    ApiClient.Response fine = daemon.send("POST", "/v1/vms/qe/qmp", new JsonObject().put("execute", "query-status"));
    assertThat(fine.status()).as(fine.body()).isEqualTo(200);
  }
}
