package io.vmsup.supervisor.metrics.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The Vert.x meters the daemon exports (docs/metrics.md): the HTTP server's, never the event bus's, whose per-message
 * lookups sat on the pass-through's path and whose series grew with every per-VM address.
 */
class VertxMetersTest {

  @Test
  void httpServerMetersYesEventBusMetersNo() throws Exception {
    DaemonMetricsImpl metrics = new DaemonMetricsImpl("vertx-meters-test");
    Vertx vertx = Vertx.builder().with(new io.vertx.core.VertxOptions().setMetricsOptions(metrics.vertxOptions()))
        .withMetrics(metrics.vertxFactory()).build();
    try {
      for (String vm : new String[] {"a", "b"}) {
        Await.result(vertx.eventBus().<JsonObject>localConsumer(Addresses.passThrough(vm), m -> m.reply(m.body()))
            .completion());
        Await.result(vertx.eventBus().request(Addresses.passThrough(vm), new JsonObject().put("name", vm)));
      }
      var server = Await.result(vertx.createHttpServer().requestHandler(r -> r.response().end("ok"))
          .listen(0, "127.0.0.1"));
      HttpClient client = HttpClient.newHttpClient();
      assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/"))
          .build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
      String page = metrics.registry().scrape();
      assertThat(page).contains("vertx_http_server_requests_total");
      assertThat(page).doesNotContain("vertx_eventbus_").doesNotContain(Addresses.passThrough(""));
    } finally {
      Await.result(vertx.close());
    }
  }
}
