package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.AsyncResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.BlockNode;
import io.vmsup.qmp.QmpBlockCommands;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpCommands;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.metrics.VmSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bus form of typed queries: a command goes out with its arguments, each {@code return} is decoded by its own
 * command, and a reply of the wrong shape or an error fails that query alone.
 */
class QueryWireTest {

  @Test
  void aCommandGoesOutWithItsArguments() {
    assertThat(QueryWire.one(QmpBlockCommands.queryNamedBlockNodes())).isEqualTo(new JsonObject()
        .put("execute", "query-named-block-nodes").put("arguments", new JsonObject().put("flat", true)));
    assertThat(QueryWire.one(QmpCommands.queryStatus())).isEqualTo(new JsonObject().put("execute", "query-status"));
  }

  @Test
  void eachReturnIsDecodedByItsCommandAndFailsAlone() {
    QmpCommand<List<BlockNode>> nodes = QmpBlockCommands.queryNamedBlockNodes();
    List<QmpCommand<?>> commands = List.of(nodes, QmpCommands.queryVersion(), QmpCommands.queryStatus());
    JsonArray returns = new JsonArray()
        .add(new JsonObject().put("return", new JsonArray().add(new JsonObject().put("node-name", "d0.blk")
            .put("drv", "qcow2").put("image", new JsonObject().put("actual-size", 4096).put("virtual-size", 8192)))))
        .add(new JsonObject().put("return", "not an object"))
        .add(new JsonObject().put("error", new JsonObject().put("message", "no QMP connection")));
    List<AsyncResult<?>> results = QueryWire.results(commands, returns);
    assertThat(VmSource.result(nodes, results.get(0)))
        .containsExactly(new BlockNode("d0.blk", "qcow2", null, true, 4096, 8192));
    assertThat(results.get(1).failed()).isTrue();
    assertThat(((VmException) results.get(1).cause()).code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(results.get(1).cause()).hasMessageContaining("query-version");
    assertThat(((VmException) results.get(2).cause()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
  }
}
