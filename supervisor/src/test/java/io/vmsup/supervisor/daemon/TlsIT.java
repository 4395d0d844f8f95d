package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.deploy.HostTools;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With {@code tlsCert}/{@code tlsKey} the API is served over HTTPS only; a wide bind without them warns. */
class TlsIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void theApiIsServedOverHttps() throws Exception {
    Path certs = daemons.dir("certs");
    Path cert = certs.resolve("cert.pem");
    Path key = certs.resolve("key.pem");
    HostTools.Run openssl = HostTools.run(certs, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048",
        "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", key.toString(), "-out", cert.toString()));
    assertThat(openssl.exit()).as(openssl.output()).isZero();
    DaemonConfig plain = DaemonFixture.config(daemons.state());
    DaemonConfig tls = new DaemonConfig(plain.httpHost(), plain.httpPort(), plain.stateDir(), plain.qemu(), false,
        cert, key, plain.metricsInterval(), plain.maxBodyBytes(), plain.allowedPaths(),
        plain.qmpPassthrough());
    Vertx vertx = Vertx.vertx();
    // no VMs here, and the fixture's JDK client would not trust the self-signed certificate: stop directly
    DaemonFixture daemon = DaemonFixture.start(tls);
    try {
      assertThat(daemon.daemon.url()).startsWith("https://127.0.0.1:");
      URI uri = URI.create(daemon.daemon.url());
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true)
          .setVerifyHost(false));
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost())
          .setPort(uri.getPort()).setURI("/v1/vms").putHeader("Authorization", "Bearer "
              + daemon.daemon.token().value());
      String body = Await.result(client.request(options).compose(req -> req.send().compose(r -> r.body())))
          .toString();
      assertThat(body).contains("\"vms\"");
      HttpClient plainClient = vertx.createHttpClient();
      RequestOptions health = new RequestOptions(options).setURI("/health");
      assertThat(plainClient.request(health).compose(req -> req.send())
          .toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(20));
    } finally {
      Await.result(daemon.daemon.stop());
      Await.result(vertx.close());
    }
  }

  /** Found by attack: a key kept in the state directory could be named by a spec's fwCfg file and read by the guest. */
  @Test
  void aTlsKeyInsideThePathRootsIsRefusedAtStart() throws Exception {
    Path key = Files.createDirectories(daemons.state()).resolve("key.pem");
    Files.writeString(key, "not a key: the check comes first");
    DaemonConfig plain = DaemonFixture.config(daemons.state());
    DaemonConfig tls = new DaemonConfig(plain.httpHost(), plain.httpPort(), plain.stateDir(), plain.qemu(), false,
        key, key, plain.metricsInterval(), plain.maxBodyBytes(), plain.allowedPaths(), plain.qmpPassthrough());

    assertThatThrownBy(() -> DaemonFixture.start(tls)).hasMessageContaining("tlsKey " + key + " lies inside the path"
        + " roots");
  }

  @Test
  void aNonLoopbackBindWithoutTlsLogsAWarning() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger(Daemon.class.getName());
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
          warnings.add(record.getMessage());
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    logger.addHandler(handler);
    DaemonConfig plain = DaemonFixture.config(daemons.state());
    DaemonConfig wide = new DaemonConfig("0.0.0.0", 0, plain.stateDir(), plain.qemu(), false, null, null,
        plain.metricsInterval(), plain.maxBodyBytes(), plain.allowedPaths(),
        plain.qmpPassthrough());
    try (DaemonFixture daemon = daemons.start(wide)) {
      assertThat(daemon.daemon.url()).startsWith("http://127.0.0.1:");
      assertThat(warnings).anyMatch(w -> w.contains("0.0.0.0") && w.contains("without TLS"));
    } finally {
      logger.removeHandler(handler);
    }
  }
}
