package io.vmsup.supervisor.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vmsup vm log} reads as the daemon's user (root) a serial log a confined QEMU created under its own uid: a
 * symbolic link that QEMU put in its place must not hand out the host file it names.
 */
class LogReaderLinkTest {

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aSerialLogReplacedByALinkToAHostFileIsNotRead() throws Exception {
    Path shadow = Files.writeString(dir.resolve("shadow"), "root:$6$secret:19000:0:99999:7:::\n");
    Path log = Files.createSymbolicLink(dir.resolve("serial.log"), shadow);
    Files.createSymbolicLink(dir.resolve("serial.log.1"), shadow);
    JsonObject got = new LogReader(vertx).tail(log.toString(), 10).await(10, TimeUnit.SECONDS);
    assertThat(got.encode()).doesNotContain("secret");
    assertThat(got.getBoolean("exists")).isFalse();
  }

  @Test
  void aRegularLogAndItsRotatedGenerationAreStillRead() throws Exception {
    Files.writeString(dir.resolve("serial.log.1"), "old 1\nold 2\n");
    Path log = Files.writeString(dir.resolve("serial.log"), "new 1\n");
    JsonObject got = new LogReader(vertx).tail(log.toString(), 2).await(10, TimeUnit.SECONDS);
    assertThat(got.getJsonArray("lines").getList()).containsExactly("old 2", "new 1");
  }
}
