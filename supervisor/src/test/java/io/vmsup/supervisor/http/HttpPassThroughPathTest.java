package io.vmsup.supervisor.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Attack (attack8): {@code POST /v1/vms/NAME/qmp} is taken by a prefix route that skips Vert.x Web's path regex when
 * the name is written plainly. Every spelling of the path must get the answer a documented path route gives: here
 * {@code POST /v1/vms/NAME/pause}, an ordinary {@code :name} route, with the same spelling of NAME. Both addresses are
 * answered by consumers that echo the name they were sent (as a 409, a failure every operation documents), so a path
 * trick that reached another VM, or a name decoded differently on one route, shows as a different answer.
 */
class HttpPassThroughPathTest extends HttpApiTestBase {

  private static final List<String> NAMES = List.of("a", "Web-1.a_b,c+d", "a+b", "a,b", "0", "a..b", "a.", "%61",
      "%41", "a%2Fb", "a%2fb", "a%252Fb", "%2e", "%2E%2E", ".", "..", "", "a%00", "a%00b", "%00", "a;b", "a;x=1",
      "a%3Bb", "a%20b", "%C3%A9", "a%2Bb", "a/", "a/.", "./a", "../a", "a/..", "a//", "A", "a".repeat(63),
      "a".repeat(64), "a".repeat(4000), "-a", "_a", ".a", "a%", "a%2", "a%zz", "a~b", "a*b", "a:b", "a@b", "a!b",
      "a$b", "a'b", "a(b)", "a=b", "a&b", "vmsup.vm.stop", "qmp", "pause", "%7B%7D", "a%0Ab", "a%0Db");

  @Override
  java.time.Duration callTimeout() {
    return java.time.Duration.ofSeconds(30); // a hang guard: a request the edge leaves unanswered is an outcome here
  }

  @Test
  void everySpellingOfTheNameGetsTheAnswerOfTheDocumentedPathRoute() throws Exception {
    List<String> qmpNames = echo(Addresses.QMP);
    List<String> pauseNames = echo(Addresses.PAUSE);
    List<String> differ = new ArrayList<>();
    for (String name : NAMES) {
      for (String[] shape : new String[][] {{"/v1/vms/", "/OP"}, {"/v1/vms/", "/OP/"}, {"/v1/vms/", "/OP?"},
          {"/v1/vms/", "/./OP"}, {"/v1/vms/", "//OP"}, {"//v1/vms/", "/OP"},
          {"/v1/vms//", "/OP"}, {"/v1//vms/", "/OP"}, {"/v1/./vms/", "/OP"}, {"/v1/x/../vms/", "/OP"}}) {
        qmpNames.clear();
        pauseNames.clear();
        String qmp = answer(shape[0] + name + shape[1].replace("OP", "qmp"), "{\"execute\":\"query-status\"}");
        String pause = answer(shape[0] + name + shape[1].replace("OP", "pause"), null);
        String reachedQmp = qmpNames.isEmpty() ? "-" : qmpNames.get(0);
        String reachedPause = pauseNames.isEmpty() ? "-" : pauseNames.get(0);
        if (!qmp.equals(pause) || !reachedQmp.equals(reachedPause)) {
          differ.add(shape[0] + name + shape[1] + ": qmp " + qmp + " (VM " + reachedQmp + "), pause " + pause
              + " (VM " + reachedPause + ")");
        }
      }
    }
    assertThat(differ).as(String.join("\n", differ)).isEmpty();
    // not vacuous: a plain name and an escaped one reach their VM, an overlong one is asked about as it is
    assertThat(answer("/v1/vms/a/qmp", "{\"execute\":\"query-status\"}")).isEqualTo("409 name=a");
    assertThat(answer("/v1/vms/%61/qmp", "{\"execute\":\"query-status\"}")).isEqualTo("409 name=a");
    assertThat(answer("/v1/vms/a%2Fb/qmp", "{\"execute\":\"query-status\"}")).isEqualTo("409 name=a/b");
    assertThat(qmpNames).containsExactly("a", "a", "a/b");
  }

  /** The status, and for a 409 the VM name the consumer was sent (a 4xx of the edge: its status and error). */
  private String answer(String path, String body) throws Exception {
    Reply r;
    try {
      r = call(HttpMethod.POST, path, TOKEN.value(), body);
    } catch (AssertionError undocumented) {
      if (undocumented.getMessage().startsWith("future")) {
        return "no answer: " + undocumented.getMessage().replace("qmp", "OP").replace("pause", "OP");
      }
      // a status the document does not give the operation: the status (the lists of both operations differ)
      return "undocumented " + undocumented.getMessage().replaceAll("(?s)^.* answered ([0-9]+).*$", "$1");
    }
    String text = r.body().toString();
    if (r.status() == 409) {
      return "409 " + new JsonObject(text).getString("detail");
    }
    return r.status() + (text.startsWith("{") ? " " + new JsonObject(text).getString("code") : "");
  }

  /** Fails every request on {@code address} with 409 naming the VM its body names; the names, in order. */
  private List<String> echo(String address) throws Exception {
    List<String> names = new java.util.concurrent.CopyOnWriteArrayList<>();
    Await.result(vertx.eventBus().<JsonObject>consumer(address, msg -> {
      String vm = msg.body().getString("name");
      names.add(vm);
      new VmException(ErrorCode.CONFLICT, "name=" + vm).failReply(msg);
    }).completion());
    return names;
  }
}
