package io.vmsup.qmp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.impl.Decoders;
import java.util.List;

/** Block-layer commands. */
public final class QmpBlockCommands {

  private QmpBlockCommands() {
  }

  /**
   * {@code blockdev-add} with a {@code BlockdevOptions} object, for example
   * {@code {"driver": "raw", "node-name": "d0", "file": {"driver": "file", "filename": "/dev/fdset/3"}}}.
   */
  public static QmpCommand<Void> blockdevAdd(JsonObject options) {
    if (options.getString("node-name") == null) {
      throw new IllegalArgumentException("blockdev-add needs a node-name");
    }
    return QmpCommand.noResult("blockdev-add", options);
  }

  public static QmpCommand<Void> blockdevDel(String nodeName) {
    return QmpCommand.noResult("blockdev-del", new JsonObject().put("node-name", nodeName));
  }

  /** {@code query-block}: block devices as sent. */
  public static QmpCommand<JsonArray> queryBlock() {
    return QmpCommand.of("query-block", null, Decoders::array);
  }

  /** {@code query-blockstats}; with {@code queryNodes} the statistics of named nodes too. */
  public static QmpCommand<List<BlockStats>> queryBlockstats(boolean queryNodes) {
    // false is QEMU's default: left out, as every byte sent costs QEMU's monitor a system call or more per byte
    return QmpCommand.of("query-blockstats", queryNodes ? new JsonObject().put("query-nodes", true) : null,
        ret -> Decoders.list(ret, Decoders::blockStats));
  }

  /** {@code block_resize} of node {@code nodeName} to {@code size} bytes (QEMU grows or shrinks the image). */
  public static QmpCommand<Void> blockResize(String nodeName, long size) {
    return QmpCommand.noResult("block_resize", new JsonObject().put("node-name", nodeName).put("size", size));
  }

  /** {@code query-named-block-nodes} (flat: no backing chain inside each node): every named node, typed. */
  public static QmpCommand<List<BlockNode>> queryNamedBlockNodes() {
    return QmpCommand.of("query-named-block-nodes", new JsonObject().put("flat", true),
        ret -> Decoders.list(ret, Decoders::blockNode));
  }
}
