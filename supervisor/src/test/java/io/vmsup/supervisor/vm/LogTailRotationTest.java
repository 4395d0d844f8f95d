package io.vmsup.supervisor.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vm log} after a rotation: the last lines come from {@code log.1} first, then the current log. */
class LogTailRotationTest {

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void aShortLogIsPrecededByTheLinesOfItsRotatedFile() throws Exception {
    Path log = dir.resolve("serial.log");
    Files.writeString(dir.resolve("serial.log.1"), "old 1\nold 2\nold 3\n");
    Files.writeString(log, "new 1\nnew 2\n");
    LogReader tail = new LogReader(vertx);

    JsonObject four = Await.result(tail.tail(log.toString(), 4));
    assertThat(four.getBoolean("exists")).isTrue();
    assertThat(four.getJsonArray("lines")).isEqualTo(new JsonArray().add("old 2").add("old 3").add("new 1")
        .add("new 2"));
    assertThat(Await.result(tail.tail(log.toString(), 2)).getJsonArray("lines"))
        .as("enough lines in the current log: the rotated one is not read")
        .isEqualTo(new JsonArray().add("new 1").add("new 2"));
    assertThat(Await.result(tail.tail(dir.resolve("missing.log").toString(), 5)).getBoolean("exists")).isFalse();
  }
}
