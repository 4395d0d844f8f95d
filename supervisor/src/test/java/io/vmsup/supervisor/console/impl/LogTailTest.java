package io.vmsup.supervisor.console.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One poll must hand over everything that is in the log when it runs: the console is told of a change once (an
 * inotify event, or the sweep) and nothing may wait for a second hint that never comes.
 */
class LogTailTest {

  @TempDir
  Path dir;
  private Vertx vertx;
  private final BlockingQueue<ConsoleLine> lines = new LinkedBlockingQueue<>();
  private LogTail tail;
  private Path log;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    log = dir.resolve("serial.log");
    tail = new LogTail(vertx, log, 4096, false, lines::addAll);
  }

  @AfterEach
  void tearDown() {
    vertx.close();
  }

  private void pollOnce() {
    vertx.runOnContext(v -> tail.poll());
  }

  private ConsoleLine next() throws InterruptedException {
    ConsoleLine l = lines.poll(10, TimeUnit.SECONDS);
    assertThat(l).as("a line handed over").isNotNull();
    return l;
  }

  @Test
  void aTruncationAndTheNewTextSeenInOnePollAreBothHandedOver() throws Exception {
    Files.writeString(log, "old line one\nold line two\n", StandardCharsets.UTF_8);
    pollOnce();
    assertThat(next().line()).isEqualTo("old line one");
    assertThat(next().line()).isEqualTo("old line two");

    Files.writeString(log, "new\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    pollOnce();
    assertThat(next()).isEqualTo(new ConsoleLine("new", 0));
  }

  @Test
  void aLinkPlantedAtTheLogsNameIsNotFollowed() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "root:secret\n", StandardCharsets.UTF_8);
    Files.createSymbolicLink(log, secret);
    pollOnce();
    Files.delete(log);
    Files.writeString(log, "real\n", StandardCharsets.UTF_8);
    pollOnce();
    assertThat(next()).as("the link's target was never handed over").isEqualTo(new ConsoleLine("real", 0));
  }

  @Test
  void moreThanAChunkAppendedAtOnceIsReadInOnePoll() throws Exception {
    StringBuilder text = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int i = 0; text.length() < 200 * 1024; i++) {
      String line = "line " + i + " " + "x".repeat(100);
      expected.add(line);
      text.append(line).append('\n');
    }
    Files.writeString(log, text, StandardCharsets.UTF_8);
    pollOnce();
    List<String> got = new ArrayList<>();
    while (got.size() < expected.size()) {
      got.add(next().line());
    }
    assertThat(got).isEqualTo(expected);
  }
}
