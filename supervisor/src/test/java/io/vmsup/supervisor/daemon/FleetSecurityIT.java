package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.cluster.ClusterInit;
import io.vmsup.supervisor.daemon.FleetRig.Member;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fleet's doors: the event-bus port admits only holders of a member certificate of the cluster CA; a member with
 * another cluster name is not admitted; a second daemon with a live member's host id is refused.
 */
class FleetSecurityIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void aRawClientWithoutTheClustersCertificateIsRefused() throws Exception {
    FleetRig fleet = new FleetRig(daemons, "sa");
    Member a = fleet.start("sa");
    Path strangers = daemons.dir("other-ca");
    ClusterInit.run(strangers, List.of("sa"), List.of("127.0.0.1"), new PrintStream(OutputStream.nullOutputStream()));

    // control: a member's own certificate gets a TLS session that stays open (the bus waits for a frame)
    try (SSLSocket s = tls(a.busPort(), fleet.certs().resolve("sa"))) {
      s.startHandshake();
      X509Certificate server = (X509Certificate) s.getSession().getPeerCertificates()[0];
      assertThat(server.getSubjectX500Principal().getName()).contains("CN=sa");
      s.setSoTimeout(3000);
      // a frame length: the bus waits for the 100 bytes that follow
      s.getOutputStream().write(new byte[] {0, 0, 0, 100});
      s.getOutputStream().flush();
      assertThat(catchThrowable(() -> s.getInputStream().read())).isInstanceOf(SocketTimeoutException.class);
    }
    // plain TCP: no TLS record, the connection is closed without an answer
    try (Socket s = new Socket("127.0.0.1", a.busPort())) {
      s.setSoTimeout(60_000);
      s.getOutputStream().write("{\"type\":\"send\",\"address\":\"vmsup.vm.list\"}\n".getBytes(StandardCharsets.UTF_8));
      assertThat(refused(s.getInputStream())).as("plain TCP").isTrue();
    }
    // TLS without a client certificate, and with a certificate of another CA: refused
    for (Path keys : new Path[] {null, strangers.resolve("sa")}) {
      try (SSLSocket s = tls(a.busPort(), keys)) {
        s.setSoTimeout(60_000);
        boolean refused;
        try {
          s.startHandshake();
          s.getOutputStream().write(new byte[] {0, 0, 0, 0});
          s.getOutputStream().flush();
          refused = refused(s.getInputStream());
        } catch (IOException e) {
          refused = true;
        }
        assertThat(refused).as("TLS with " + (keys == null ? "no certificate" : "another CA's certificate"))
            .isTrue();
      }
    }
    assertThat(a.process().process.isAlive()).isTrue();
    assertThat(FleetIT.upHosts(a)).containsOnlyKeys("sa");
  }

  @Test
  void aMemberWithAnotherClusterNameIsNotAdmittedAndAHeldHostIdIsRefused() throws Exception {
    FleetRig fleet = new FleetRig(daemons, "na", "nx", "ny");
    Member a = fleet.start("na");
    // nx knows na's membership port but names another cluster: it runs alone
    Member x = fleet.start("nx", "--cluster-name", "elsewhere");
    assertThat(FleetIT.upHosts(x)).containsOnlyKeys("nx");
    assertThat(FleetIT.upHosts(a)).containsOnlyKeys("na");
    assertThat(a.process().text()).doesNotContain("Members {size:2");

    // ny in na's cluster, but claiming na's host id while na lives: refused once the wait for a lost member ends
    DaemonProcess twin = fleet.launch("ny", "--host-id", "na");
    assertThat(twin.exitCode()).isEqualTo(1);
    assertThat(twin.text()).contains("host id 'na' is held by a live member");
    Await.until("na still serves", () -> FleetIT.upHosts(a).containsKey("na"), Duration.ofSeconds(30));
  }

  private static boolean refused(InputStream in) {
    try {
      return in.read() == -1;
    } catch (IOException e) {
      return !(e instanceof SocketTimeoutException);
    }
  }

  /** A TLS client that trusts any server and presents the member certificate in {@code keys} (none if null). */
  private static SSLSocket tls(int port, Path keys) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    if (keys != null) {
      Certificate cert;
      try (InputStream in = Files.newInputStream(keys.resolve("member.pem"))) {
        cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
      String pem = Files.readString(keys.resolve("member-key.pem")).replaceAll("-----[A-Z ]+-----", "")
          .replaceAll("\\s", "");
      PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
          .decode(pem)));
      store.setKeyEntry("member", key, "x".toCharArray(), new Certificate[] {cert});
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "x".toCharArray());
    TrustManager any = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), new TrustManager[] {any}, null);
    return (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
  }
}
