package io.vmsup.supervisor.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.CreateAndStart;
import io.vmsup.supervisor.api.ErrorCode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/vms?start=true}: the create's bus request carries the {@link CreateAndStart} header, a value that is
 * not a boolean is 400 before the bus sees it, the reply waits beyond the request timeout (a start may wait its turn),
 * and a VM created whose start failed is answered with the start's problem saying it was created.
 */
class HttpCreateAndStartTest extends HttpApiTestBase {

  /** The start header of every create the bus received ("-" for none). */
  private List<String> creates(JsonObject reply, long delayMs) throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.CREATE, msg -> {
      String h = msg.headers().get(CreateAndStart.HEADER);
      seen.add(h == null ? "-" : h);
      vertx.setTimer(delayMs, t -> msg.reply(reply));
    }).completion());
    return seen;
  }

  @Test
  void startTrueBecomesTheHeaderAndItsReplyIsWaitedForBeyondTheRequestTimeout() throws Exception {
    Await.result(server.close());
    server = Await.result(vertx.createHttpServer().requestHandler(HttpApi.router(vertx, ApiOptions.defaults(TOKEN)
        .withRequestTimeout(java.time.Duration.ofMillis(200)))).listen(0, "127.0.0.1"));
    List<String> seen = creates(HttpRoutesTest.view("vm1", "RUNNING"), 600);
    Reply started = call(HttpMethod.POST, "/v1/vms?start=true", TOKEN.value(), "{\"name\":\"vm1\"}");
    assertThat(started.status()).as(started.body().toString()).isEqualTo(201);
    assertThat(started.json().getString("state")).isEqualTo("RUNNING");
    Reply plain = call(HttpMethod.POST, "/v1/vms?start=false", TOKEN.value(), "{\"name\":\"vm2\"}");
    assertThat(plain.status()).as("a plain create still has the request timeout: 503").isEqualTo(503);
    assertThat(seen).containsExactly("true", "-");
  }

  @Test
  void aStartThatIsNotABooleanIsRefusedBeforeTheBus() throws Exception {
    List<String> seen = creates(HttpRoutesTest.view("vm1", "DEFINED"), 0);
    for (String bad : List.of("yes", "1", "TRUE", "")) {
      Reply r = call(HttpMethod.POST, "/v1/vms?start=" + bad, TOKEN.value(), "{\"name\":\"vm1\"}");
      assertThat(r.status()).as(bad + ": " + r.body()).isEqualTo(400);
      assertThat(r.json().getJsonArray("violations").getJsonObject(0).getString("path")).isEqualTo("start");
    }
    Reply twice = call(HttpMethod.POST, "/v1/vms?start=true&start=true", TOKEN.value(), "{\"name\":\"vm1\"}");
    assertThat(twice.status()).isEqualTo(400);
    assertThat(seen).as("nothing reached the bus").isEmpty();
  }

  @Test
  void aCreatedVmWhoseStartFailedIsTheStartsProblemSayingItWasCreated() throws Exception {
    failWith(Addresses.CREATE, ErrorCode.INTERNAL, new JsonObject()
        .put("message", "VM 'vm1' was created, but its start failed: QEMU exited during start")
        .put("created", true).put("state", "FAILED").put("exitCode", 1)
        .put("vm", HttpRoutesTest.view("vm1", "FAILED")));
    Reply r = call(HttpMethod.POST, "/v1/vms?start=true", TOKEN.value(), "{\"name\":\"vm1\"}");
    assertThat(r.status()).isEqualTo(500);
    JsonObject problem = r.json();
    assertThat(problem.getBoolean("created")).isTrue();
    assertThat(problem.getString("state")).isEqualTo("FAILED");
    assertThat(problem.getJsonObject("vm").getString("state")).isEqualTo("FAILED");
    assertThat(problem.getString("detail")).startsWith("VM 'vm1' was created, but its start failed");
  }
}
