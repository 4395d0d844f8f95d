package io.vmsup.supervisor.daemon;

import io.vertx.core.json.JsonObject;

/** VM specs the daemon tests create. */
final class TestSpecs {

  private TestSpecs() {
  }

  /** The smallest real VM: {@code -machine none}, nothing attached. */
  static JsonObject machineNone(String name) {
    return new JsonObject().put("name", name).put("machine", new JsonObject().put("type", "none"));
  }

  /** A q35 VM under TCG with one raw disk (no bootable system: SeaBIOS keeps the vCPU busy). */
  static JsonObject q35WithDisk(String name, String diskPath) {
    return new JsonObject().put("name", name)
        .put("machine", new JsonObject().put("type", "q35").put("accel", "tcg"))
        .put("devices", new io.vertx.core.json.JsonArray().add(new JsonObject().put("kind", "disk")
            .put("id", "disk0").put("file", diskPath).put("format", "raw")));
  }

  /** A spec with at least two problems, for the 400 test. */
  static JsonObject twoProblems() {
    return new JsonObject().put("name", "-bad name-").put("machine", new JsonObject().put("type", "no such,type"));
  }
}
