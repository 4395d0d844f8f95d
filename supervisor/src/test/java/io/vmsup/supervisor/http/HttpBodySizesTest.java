package io.vmsup.supervisor.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The edge checks a small body on the event loop and a large one on a worker: the outcome is the same either way
 * (the same violations, the same body on the bus), and a body the schema refuses never reaches the bus.
 */
class HttpBodySizesTest extends HttpApiTestBase {

  @Override
  int bodyLimit() {
    return 64 * 1024;
  }

  private void assertViolation(Reply r, String path, String message) throws Exception {
    assertThat(r.status()).as(r.body().toString()).isEqualTo(400);
    JsonArray violations = r.json().getJsonArray("violations");
    assertThat(violations.stream().map(JsonObject.class::cast)
        .anyMatch(v -> v.getString("path").equals(path) && v.getString("message").startsWith(message)))
        .as(violations.encode()).isTrue();
  }

  @Test
  void smallAndLargeBodiesAreCheckedAlike() throws Exception {
    List<JsonObject> sent = new CopyOnWriteArrayList<>();
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.QMP, msg -> {
      sent.add(msg.body());
      msg.reply(new JsonObject().put("return", new JsonObject()));
    }).completion());
    String pad = "x".repeat(5000);
    assertViolation(call(HttpMethod.POST, "/v1/vms/vm1/qmp", TOKEN.value(), "{\"execute\":7,\"arguments\":{}}"),
        "execute", "must be a string, not a number");
    assertViolation(call(HttpMethod.POST, "/v1/vms/vm1/qmp", TOKEN.value(), "{\"execute\":7,\"arguments\":{\"p\":\""
        + pad + "\"}}"), "execute", "must be a string, not a number");
    assertViolation(call(HttpMethod.POST, "/v1/vms/vm1/qmp", TOKEN.value(), "{\"execute\":\"x\",\"extra\":\""
        + pad + "\"}"), "extra", "unknown field");
    assertThat(call(HttpMethod.POST, "/v1/vms/vm1/qmp", TOKEN.value(), "{\"execute\":\"qom-get\"}").status())
        .isEqualTo(200);
    assertThat(call(HttpMethod.POST, "/v1/vms/vm1/qmp", TOKEN.value(), "{\"execute\":\"qom-get\",\"arguments\":"
        + "{\"path\":\"" + pad + "\"}}").status()).isEqualTo(200);
    Reply broken = call(HttpMethod.POST, "/v1/vms/vm1/qmp", TOKEN.value(), "{\"execute\":");
    assertThat(broken.status()).isEqualTo(400);
    assertThat(broken.json().getString("detail")).contains("line 1");
    Reply brokenLarge = call(HttpMethod.POST, "/v1/vms/vm1/qmp", TOKEN.value(), "{\"arguments\":{\"p\":\"" + pad
        + "\"},\"execute\":");
    assertThat(brokenLarge.status()).isEqualTo(400);
    assertThat(brokenLarge.json().getString("detail")).contains("line 1");
    assertThat(sent).extracting(j -> j.getString("execute")).containsExactly("qom-get", "qom-get");
    assertThat(sent.get(1).getJsonObject("arguments").getString("path")).isEqualTo(pad);
  }
}
