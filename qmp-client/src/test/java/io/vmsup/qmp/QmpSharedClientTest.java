package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vmsup.qmp.testing.Await;
import io.vmsup.qmp.testing.FakeQmpServer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Every QMP connection of a Vert.x instance shares one socket client (a client per connection was kept alive by its
 * verticle until undeployment: one leaked per connect attempt). The sharing must not tie connections together: a
 * verticle's undeployment closes its own connections only, and a verticle deployed later still connects.
 */
class QmpSharedClientTest extends QmpFaultTestBase {

  @Test
  void undeployingOneVerticleLeavesTheOthersConnectionsAndNewConnectsWorking() {
    server = FakeQmpServer.start(vertx, socket(), answering("{\"return\": {\"id\": %d}, \"id\": %d}"));
    Owner first = new Owner(socket());
    Owner second = new Owner(socket());
    String firstId = Await.result(vertx.deployVerticle(first));
    Await.result(vertx.deployVerticle(second));
    // a few failed attempts first, as a VM's connect loop makes while QEMU starts
    for (int i = 0; i < 3; i++) {
      Await.failure(connectFrom(second, dir.resolve("absent-" + i + ".sock")));
    }

    Await.result(vertx.undeploy(firstId));
    Await.result(first.client.get().closeFuture());

    assertThat(second.client.get().state()).isEqualTo(QmpState.RUNNING);
    assertThat(Await.result(second.client.get().execute("query-status", null))).isNotNull();
    Owner third = new Owner(socket());
    Await.result(vertx.deployVerticle(third));
    assertThat(Await.result(third.client.get().execute("query-status", null))).isNotNull();
  }

  private Future<QmpClient> connectFrom(Owner owner, Path path) {
    return Future.future(p -> owner.context().runOnContext(v ->
        QmpClient.connect(vertx, path, QmpOptions.defaults()).onComplete(p)));
  }

  /** A verticle holding one QMP connection, closed when it is undeployed. */
  private static final class Owner extends VerticleBase {
    private final Path socket;
    private final AtomicReference<QmpClient> client = new AtomicReference<>();

    Owner(Path socket) {
      this.socket = socket;
    }

    io.vertx.core.Context context() {
      return context;
    }

    @Override
    public Future<?> start() {
      return QmpClient.connect(vertx, socket, QmpOptions.defaults()).onSuccess(client::set);
    }

    @Override
    public Future<?> stop() {
      return client.get().close();
    }
  }
}
