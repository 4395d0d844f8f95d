package io.vmsup.supervisor.metrics.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vmsup.qmp.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * vertx-micrometer registers a connection's gauge again at every connection; Micrometer warns about the first
 * re-registration in a JVM ({@code vertx.net.client.active.connections} in the daemon's log at its second QMP
 * connect). The daemon's metrics drop that warning for Vert.x's gauges and keep it for vmsup's own. Micrometer warns
 * once per JVM and logs later re-registrations at debug level, so the test opens Micrometer's logger to every level.
 */
class VertxGaugeNoiseTest {

  private static final Logger MICROMETER = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");

  @Test
  void vertxGaugesReRegisteredAtEveryConnectionAreNotReportedButOursAre() throws Exception {
    DaemonMetricsImpl metrics = new DaemonMetricsImpl("vertx-gauge-noise-test");
    List<String> logged = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        logged.add(record.getMessage());
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Level before = MICROMETER.getLevel();
    MICROMETER.setLevel(Level.ALL);
    MICROMETER.addHandler(capture);
    Vertx vertx = Vertx.builder().with(new io.vertx.core.VertxOptions().setPreferNativeTransport(true)
        .setMetricsOptions(metrics.vertxOptions())).withMetrics(metrics.vertxFactory()).build();
    Path dir = Files.createTempDirectory("gauge-noise");
    try {
      SocketAddress address = SocketAddress.domainSocketAddress(dir.resolve("s.sock").toString());
      Await.result(vertx.createNetServer().connectHandler(s -> { }).listen(address));
      var client = vertx.createNetClient();
      for (int i = 0; i < 3; i++) {
        NetSocket socket = Await.result(client.connect(address));
        Await.result(socket.close());
      }
      AtomicLong first = new AtomicLong();
      AtomicLong second = new AtomicLong();
      Gauge.builder("vmsup.test.noise", first, AtomicLong::get).register(metrics.registry());
      Gauge.builder("vmsup.test.noise", second, AtomicLong::get).register(metrics.registry());

      assertThat(metrics.registry().scrape()).contains("vertx_net_client_active_connections");
      assertThat(logged).as("what Micrometer logged").noneMatch(m -> m.contains("name='vertx."))
          .anyMatch(m -> m.contains("already registered") && m.contains("name='vmsup.test.noise'"));
    } finally {
      MICROMETER.removeHandler(capture);
      MICROMETER.setLevel(before);
      Await.result(vertx.close());
    }
  }
}
