package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vmsup.qmp.testing.Await;
import io.vmsup.qmp.testing.QemuExtension;
import io.vmsup.qmp.testing.QemuProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SO_PEERCRED on real QEMU monitors: the expected QEMU is accepted, a link to another QEMU's socket is refused. */
class QmpPeerCheckIT {

  @RegisterExtension
  final QemuExtension qemu = QemuExtension.machineNone();

  @TempDir
  Path other;

  @Test
  void theExpectedQemuIsAcceptedAndNamed() throws Exception {
    int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    QmpClient client = qemu.connect(QmpOptions.defaults()
        .withPeerCheck(QmpPeerCheck.process(qemu.process().pid(), uid)));

    assertThat(client.peer()).isEqualTo(new QmpPeer(qemu.process().pid(), uid,
        (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid")));
    assertThat(Await.result(client.execute(QmpCommands.queryStatus())).status()).isEqualTo(RunState.RUNNING);
  }

  @Test
  void aLinkToAnotherQemusSocketIsRefusedBeforeAnyByteIsRead() throws Exception {
    qemu.connect().close(); // A listens
    try (QemuProcess b = QemuProcess.start(other, "none")) {
      QmpClient bClient = QemuExtension.connectTo(qemu.vertx(), b, QmpOptions.defaults()
          .withPeerCheck(QmpPeerCheck.process(b.pid())));
      Path aSocket = qemu.process().socket();
      Files.delete(aSocket);
      Files.createSymbolicLink(aSocket, b.socket());

      Throwable refused = Await.failure(QmpClient.connect(qemu.vertx(), aSocket, QmpOptions.defaults()
          .withPeerCheck(QmpPeerCheck.process(qemu.process().pid()))));

      assertThat(refused).isInstanceOf(QmpConnectException.class);
      assertThat(((QmpConnectException) refused).kind()).isEqualTo(QmpConnectException.Kind.WRONG_PEER);
      assertThat(refused.getMessage()).contains("served by pid " + b.pid())
          .contains("expected pid " + qemu.process().pid());
      // B's own client is untouched, and B's monitor still answers its own QEMU's client
      assertThat(Await.result(bClient.execute(QmpCommands.queryStatus())).status()).isEqualTo(RunState.RUNNING);
      // without a check the same link reaches B: the check is what tells them apart
      bClient.close();
      Await.result(bClient.closeFuture());
      QmpClient unchecked = Await.result(QmpClient.connect(qemu.vertx(), aSocket, QmpOptions.defaults()));
      assertThat(unchecked.peer().pid()).isEqualTo(b.pid());
      unchecked.close();
    }
  }

  @Test
  void theRightPidUnderAnotherUidIsRefused() {
    qemu.connect().close();
    Throwable refused = Await.failure(QmpClient.connect(qemu.vertx(), qemu.process().socket(), QmpOptions.defaults()
        .withPeerCheck(QmpPeerCheck.process(qemu.process().pid(), 2_000_000_123))));

    assertThat(((QmpConnectException) refused).kind()).isEqualTo(QmpConnectException.Kind.WRONG_PEER);
    assertThat(refused.getMessage()).contains("expected pid " + qemu.process().pid() + " uid 2000000123");
  }

  @Test
  void aTransportThatCannotReadCredentialsIsRefusedWhenACheckIsAsked() {
    qemu.connect().close();
    Vertx nio = Vertx.vertx();
    try {
      Throwable refused = Await.failure(QmpClient.connect(nio, qemu.process().socket(), QmpOptions.defaults()
          .withPeerCheck(QmpPeerCheck.process(qemu.process().pid()))));
      assertThat(((QmpConnectException) refused).kind()).isEqualTo(QmpConnectException.Kind.WRONG_PEER);
      assertThat(refused.getMessage()).contains("credentials cannot be read");

      QmpClient unchecked = Await.result(QmpClient.connect(nio, qemu.process().socket(), QmpOptions.defaults()));
      assertThat(unchecked.peer()).isNull();
      Await.result(unchecked.close());
    } finally {
      Await.result(nio.close(), Duration.ofSeconds(10));
    }
  }

  @Test
  void anExpectedPidMustBePositive() {
    assertThatThrownBy(() -> QmpPeerCheck.process(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(QmpPeerCheck.any().refusal(null)).isNull();
  }
}
