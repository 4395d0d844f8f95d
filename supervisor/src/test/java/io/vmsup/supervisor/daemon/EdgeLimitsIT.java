package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmsup.supervisor.http.EdgeLimits;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The limits at the HTTP edge against a real daemon over real TCP: half-sent headers are cut by the header timeout,
 * the connection caps refuse the excess at accept, mutating requests are rate limited, and meanwhile an
 * authenticated connection keeps working. Each refusal is counted in {@code vmsup_http_edge_refusals_total}.
 */
class EdgeLimitsIT {

  private static final String REFUSALS = "vmsup_http_edge_refusals_total";
  private static final String CONNECTIONS = "vmsup_http_connections";

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private DaemonFixture daemon;
  private final List<RawHttp> opened = new ArrayList<>();

  private void start(EdgeLimits limits) throws Exception {
    daemon = daemons.start(DaemonFixture.config(daemons.state()).withLimits(limits));
  }

  private RawHttp open(String from) throws IOException {
    RawHttp c = daemons.closeAfter(RawHttp.open(daemon.daemon.url(), from));
    opened.add(c);
    return c;
  }

  private String token() {
    return daemon.daemon.token().value();
  }

  @Test
  void halfSentHeadersAreCutByTheHeaderTimeoutWhileAnAuthenticatedConnectionKeepsWorking() throws Exception {
    start(new EdgeLimits(Duration.ofSeconds(1), Duration.ofSeconds(30), 1000, 1000, 100, 500, 1000, 1 << 20));
    RawHttp operator = open("127.0.0.1");
    assertThat(operator.request("GET", "/v1/vms", token(), null).status()).isEqualTo(200);
    List<RawHttp> flood = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      RawHttp c = open("127.0.0.1");
      c.write("GET /v1/vms HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
      flood.add(c);
    }
    assertThat(operator.request("GET", "/v1/vms", token(), null).status()).isEqualTo(200);
    for (RawHttp c : flood) {
      assertThat(c.closedByServer()).as("a half-sent header is cut").isTrue();
    }
    assertThat(operator.request("GET", "/v1/vms", token(), null).status()).isEqualTo(200);
    assertThat(metric(operator, REFUSALS, "reason=\"header-timeout\"")).isGreaterThanOrEqualTo(50);
  }

  @Test
  void aHeaderTrickledByteByByteIsCutToo() throws Exception {
    start(new EdgeLimits(Duration.ofSeconds(1), Duration.ofSeconds(30), 100, 100, 100, 500, 1000, 1 << 20));
    RawHttp slow = open("127.0.0.1");
    slow.write("GET /health HTTP/1.1\r\n");
    boolean cut = false;
    // one header byte per 200 ms keeps the connection busy forever under a mere read-idle timeout
    for (int i = 0; i < 300 && !cut; i++) {
      try {
        slow.write("X");
        cut = !slow.stillOpenAfter(200);
      } catch (IOException e) {
        cut = true;
      }
    }
    assertThat(cut).as("the trickled header is cut").isTrue();
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    start(new EdgeLimits(Duration.ofSeconds(30), Duration.ofSeconds(1), 100, 100, 100, 500, 1000, 1 << 20));
    RawHttp c = open("127.0.0.1");
    assertThat(c.request("GET", "/health", null, null).status()).isEqualTo(200);
    assertThat(c.closedByServer()).isTrue();
  }

  @Test
  void connectionCapsRefuseTheExcessAtAcceptAndAuthenticatedConnectionsCountApart() throws Exception {
    start(new EdgeLimits(Duration.ofSeconds(60), Duration.ofSeconds(60), 6, 4, 100, 500, 1000, 1 << 20));
    RawHttp operator = open("127.0.0.1");
    assertThat(operator.request("GET", "/v1/vms", token(), null).status()).isEqualTo(200);
    awaitMetric(operator, CONNECTIONS, v -> v == 0, "class=\"unauthenticated\"");
    assertThat(metric(operator, CONNECTIONS, "class=\"authenticated\"")).isEqualTo(1);

    for (int i = 0; i < 4; i++) {
      open("127.0.0.1");
    }
    awaitMetric(operator, CONNECTIONS, v -> v == 4, "class=\"unauthenticated\"");
    assertThat(open("127.0.0.1").closedByServer()).as("5th from one address").isTrue();
    open("127.0.0.2");
    open("127.0.0.2");
    awaitMetric(operator, CONNECTIONS, v -> v == 6, "class=\"unauthenticated\"");
    assertThat(open("127.0.0.3").closedByServer()).as("7th in all").isTrue();

    assertThat(operator.request("GET", "/v1/vms", token(), null).status()).isEqualTo(200);
    assertThat(metric(operator, REFUSALS, "reason=\"address-cap\"")).isEqualTo(1);
    assertThat(metric(operator, REFUSALS, "reason=\"unauthenticated-cap\"")).isEqualTo(1);

    for (RawHttp c : opened.subList(1, opened.size())) {
      c.close();
    }
    awaitMetric(operator, CONNECTIONS, v -> v == 0, "class=\"unauthenticated\"");
    RawHttp fresh = open("127.0.0.1");
    assertThat(fresh.request("GET", "/v1/vms", token(), null).status()).isEqualTo(200);
  }

  @Test
  void mutatingRequestsBeyondTheRateAre429AndTheOperatorsBudgetIsApart() throws Exception {
    start(new EdgeLimits(Duration.ofSeconds(60), Duration.ofSeconds(60), 100, 100, 100, 1, 5, 1 << 20));
    RawHttp stranger = open("127.0.0.1");
    List<Integer> statuses = new ArrayList<>();
    RawHttp.Response last = null;
    for (int i = 0; i < 12; i++) {
      last = stranger.request("POST", "/v1/vms/x/start", null, "{}");
      statuses.add(last.status());
    }
    assertThat(statuses.subList(0, 5)).containsOnly(401);
    assertThat(statuses).contains(429);
    assertThat(last.status()).isEqualTo(429);
    assertThat(last.headers()).containsEntry("retry-after", "1");
    assertThat(last.body()).contains("TOO_MANY_REQUESTS");

    RawHttp operator = open("127.0.0.1");
    assertThat(operator.request("POST", "/v1/vms/x/start", token(), "{}").status()).isEqualTo(404);
    assertThat(metric(operator, REFUSALS, "reason=\"rate-limit\"")).isGreaterThanOrEqualTo(1);
  }

  private static double metric(RawHttp via, String name, String... labels) throws IOException {
    RawHttp.Response r = via.request("GET", "/metrics", null, null);
    assertThat(r.status()).isEqualTo(200);
    return new PrometheusText(r.body()).value(name, labels).orElseThrow();
  }

  // the accept of a new connection is handled asynchronously: read the gauge until it shows it (bounded)
  private static void awaitMetric(RawHttp via, String name, DoublePredicate ok, String... labels) throws IOException {
    double value = Double.NaN;
    for (int i = 0; i < 2000; i++) {
      value = metric(via, name, labels);
      if (ok.test(value)) {
        return;
      }
    }
    throw new AssertionError(name + " " + String.join(",", labels) + " stayed at " + value);
  }

}
