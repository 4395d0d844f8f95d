package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.qmp.testing.QemuExtension;
import io.vmsup.qmp.testing.QemuProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Migration of a paused q35 machine through a file, into a second QEMU started with {@code -incoming defer}. */
class QmpMigrationIT {

  @RegisterExtension
  final QemuExtension qemu = QemuExtension.q35Paused();

  @Test
  void migratesOutToAFileAndIntoASecondQemu() throws Exception {
    QmpClient source = qemu.connect();
    Path state = qemu.dir().resolve("state.bin");
    assertThat(Await.result(source.execute(QmpMigrationCommands.queryMigrate())).status())
        .isEqualTo(MigrationStatus.NONE);
    Await.result(source.execute(QmpMigrationCommands.migrateSetCapabilities(Map.of("events", true))));
    Await.result(source.execute(QmpMigrationCommands.migrateSetParameters(
        new JsonObject().put("max-bandwidth", 1L << 32))));

    Future<QmpEvent> done = source.awaitEvent("MIGRATION", e -> MigrationStatus.fromWire(
        e.data().getString("status")).isFinal(), Duration.ofSeconds(60));
    Await.result(source.execute(QmpMigrationCommands.migrate("exec:cat > " + state)));
    assertThat(Await.result(done).data().getString("status")).isEqualTo("completed");
    MigrationInfo info = Await.result(source.execute(QmpMigrationCommands.queryMigrate()));
    assertThat(info.status()).isEqualTo(MigrationStatus.COMPLETED);
    assertThat(info.ramTotal()).isGreaterThan(0);
    assertThat(Files.size(state)).isGreaterThan(0);

    Path targetDir = Files.createDirectories(qemu.dir().resolve("target"));
    try (QemuProcess target = QemuProcess.start(targetDir, "q35,accel=tcg,nvdimm=on", "-S",
        "-m", "256M,slots=4,maxmem=2G", "-smp", "1,maxcpus=2", "-device", "qemu-xhci,id=xhci",
        "-device", "VGA,id=vga", "-device", "pcie-root-port,id=rp1,chassis=1",
        "-device", "pcie-root-port,id=rp2,chassis=2", "-incoming", "defer")) {
      QmpClient incoming = QemuExtension.connectTo(qemu.vertx(), target, QmpOptions.defaults());
      assertThat(Await.result(incoming.execute(QmpCommands.queryStatus())).status())
          .isEqualTo(RunState.INMIGRATE);
      Await.result(incoming.execute(QmpMigrationCommands.migrateSetCapabilities(Map.of("events", true))));
      Future<QmpEvent> arrived = incoming.awaitEvent("MIGRATION", e -> MigrationStatus.fromWire(
          e.data().getString("status")).isFinal(), Duration.ofSeconds(60));

      Await.result(incoming.execute(QmpMigrationCommands.migrateIncoming("exec:cat " + state)));

      assertThat(Await.result(arrived).data().getString("status")).isEqualTo("completed");
      assertThat(Await.result(incoming.execute(QmpCommands.queryStatus())).status())
          .isIn(RunState.PAUSED, RunState.PRELAUNCH);
      Await.result(incoming.execute(QmpCommands.quit()));
    }
  }
}
