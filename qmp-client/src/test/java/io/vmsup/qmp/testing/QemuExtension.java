package io.vmsup.qmp.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vmsup.qmp.QmpClient;
import io.vmsup.qmp.QmpConnectException;
import io.vmsup.qmp.QmpOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: a Vert.x on the native transport and a fresh QEMU per test, killed after it. Register with
 * {@code @RegisterExtension final QemuExtension qemu = QemuExtension.machineNone();}.
 */
public final class QemuExtension implements BeforeEachCallback, AfterEachCallback {

  private final String machine;
  private final String[] extra;
  private Vertx vertx;
  private Path dir;
  private QemuProcess process;

  private QemuExtension(String machine, String... extra) {
    this.machine = machine;
    this.extra = extra;
  }

  /** {@code -machine none}: a monitor and nothing else (protocol tests). */
  public static QemuExtension machineNone() {
    return new QemuExtension("none");
  }

  /**
   * {@code -machine q35,accel=tcg,nvdimm=on -S}: a real machine, paused before the first instruction, with
   * memory slots, a spare CPU slot, a USB controller, a VGA and two PCIe root ports ({@code rp1}, {@code rp2}) for hotplug.
   */
  public static QemuExtension q35Paused(String... extra) {
    List<String> args = new ArrayList<>(List.of("-S", "-m", "256M,slots=4,maxmem=2G", "-smp", "1,maxcpus=2",
        "-device", "qemu-xhci,id=xhci", "-device", "VGA,id=vga",
        "-device", "pcie-root-port,id=rp1,chassis=1", "-device", "pcie-root-port,id=rp2,chassis=2"));
    args.addAll(List.of(extra));
    return new QemuExtension("q35,accel=tcg,nvdimm=on", args.toArray(String[]::new));
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)
        .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    dir = Files.createTempDirectory("qmp-it-");
    process = QemuProcess.start(dir, machine, extra);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (process != null) {
      process.close();
    }
    if (vertx != null) {
      Await.result(vertx.close(), Duration.ofSeconds(10));
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  public Path dir() {
    return dir;
  }

  public QemuProcess process() {
    return process;
  }

  /** Connects to this test's QEMU once it listens. */
  public QmpClient connect(QmpOptions options) {
    return connectTo(vertx, process, options);
  }

  public QmpClient connect() {
    return connect(QmpOptions.defaults());
  }

  /** Connects to {@code qemu} once it listens (retrying on a timer while its socket is not there yet). */
  public static QmpClient connectTo(Vertx vertx, QemuProcess qemu, QmpOptions options) {
    Promise<QmpClient> promise = Promise.promise();
    attempt(vertx, qemu, options, System.nanoTime() + TimeUnit.SECONDS.toNanos(10), promise);
    return Await.result(promise.future());
  }

  private static void attempt(Vertx vertx, QemuProcess qemu, QmpOptions options, long deadline,
                              Promise<QmpClient> promise) {
    Future<QmpClient> f = QmpClient.connect(vertx, qemu.socket(), options);
    f.onSuccess(promise::complete).onFailure(e -> {
      boolean early = e instanceof QmpConnectException c
          && (c.kind() == QmpConnectException.Kind.NO_SOCKET || c.kind() == QmpConnectException.Kind.REFUSED);
      if (early && System.nanoTime() < deadline && qemu.process().isAlive()) {
        vertx.setTimer(2, t -> attempt(vertx, qemu, options, deadline, promise));
      } else {
        promise.fail(new AssertionError("cannot connect to QEMU: " + e + "\n" + qemu.log(), e));
      }
    });
  }
}
