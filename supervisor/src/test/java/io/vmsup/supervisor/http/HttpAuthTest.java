package io.vmsup.supervisor.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vmsup.qmp.testing.Await;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The HTTP adapter's access rules: what is open, what needs the bearer token, from where. */
class HttpAuthTest extends HttpApiTestBase {

  @Test
  void healthIsOpenAndV1NeedsTheToken() throws Exception {
    assertThat(call(HttpMethod.GET, "/health", null, null).json().getString("status")).isEqualTo("UP");
    Reply missing = call(HttpMethod.GET, "/v1/vms", null, null);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.contentType()).isEqualTo("application/problem+json");
    assertThat(missing.authenticate()).startsWith("Bearer");
    assertThat(missing.json().getString("code")).isEqualTo("UNAUTHORIZED");
    assertThat(call(HttpMethod.GET, "/v1/vms", "wrong", null).status()).isEqualTo(401);
    assertThat(call(HttpMethod.GET, "/v1/events", null, null).status()).isEqualTo(401);
  }

  @Test
  void metricsAreOpenOnLoopback() throws Exception {
    Reply metrics = call(HttpMethod.GET, "/metrics", null, null);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body().toString()).isEqualTo("# metrics\n");
  }

  @Test
  void metricsNeedTheTokenFromOtherAddresses() throws Exception {
    InetAddress other = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .findFirst().orElse(null);
    Assumptions.assumeTrue(other != null, "this host has no non-loopback IPv4 address to call /metrics from");
    HttpServer wide = Await.result(vertx.createHttpServer().requestHandler(HttpApi.router(vertx,
        ApiOptions.defaults(TOKEN).withMetrics(() -> Future.succeededFuture("m\n"))))
        .listen(0, "0.0.0.0"));
    try {
      RequestOptions base = new RequestOptions().setMethod(HttpMethod.GET).setHost(other.getHostAddress())
          .setPort(wide.actualPort()).setURI("/metrics");
      int without = Await.result(client.request(base).compose(req -> req.send()).map(r -> r.statusCode()));
      assertThat(without).isEqualTo(401);
      RequestOptions withToken = new RequestOptions(base).putHeader("Authorization", "Bearer " + TOKEN.value());
      int with = Await.result(client.request(withToken).compose(req -> req.send()).map(r -> r.statusCode()));
      assertThat(with).isEqualTo(200);
    } finally {
      Await.result(wide.close());
    }
  }
}
