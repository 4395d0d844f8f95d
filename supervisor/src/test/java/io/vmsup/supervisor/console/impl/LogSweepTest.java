package io.vmsup.supervisor.console.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's paced sweep: every log once per sweep, a slice a round, and which logs a slice's sizes send to a read. */
class LogSweepTest {

  @TempDir
  Path dir;

  @Test
  void everyVmIsInExactlyOneSliceOfASweepAndOneAddedMeanwhileInTheNext() {
    LogSweep sweep = new LogSweep();
    List<String> vms = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      vms.add("vm" + i);
    }
    List<String> seen = new ArrayList<>();
    int rounds = 0;
    while (seen.size() < vms.size()) {
      List<String> slice = sweep.next(vms, 300);
      assertThat(slice).hasSizeLessThanOrEqualTo(4); // ceil(1001 / 300)
      seen.addAll(slice);
      rounds++;
    }
    assertThat(rounds).as("one sweep within its rounds").isLessThanOrEqualTo(300);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(vms);
    vms.add("late");
    Set<String> next = new HashSet<>();
    for (int i = 0; i < 300 && !next.contains("late"); i++) {
      next.addAll(sweep.next(vms, 300));
    }
    assertThat(next).contains("late");
  }

  @Test
  void aFewVmsAreEachLookedAtOncePerSweepNotEveryRound() {
    LogSweep sweep = new LogSweep();
    List<String> taken = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      taken.addAll(sweep.next(List.of("a", "b", "c"), 300));
    }
    assertThat(taken).containsExactly("a", "b", "c", "a", "b", "c");
    assertThat(sweep.next(List.of(), 300)).isEmpty();
  }

  @Test
  void sizesTellARegularFileANoneALinkAndAnythingElseApart() throws Exception {
    Path log = Files.writeString(dir.resolve("a.log"), "12345\n");
    Path link = Files.createSymbolicLink(dir.resolve("link.log"), log);
    Path sub = Files.createDirectory(dir.resolve("sub.log"));
    long[] sizes = LogSweep.sizes(List.of(log, dir.resolve("none.log"), link, sub));
    assertThat(sizes).containsExactly(6, LogSweep.MISSING, LogSweep.LINK, LogSweep.UNKNOWN);
  }

  @Test
  void aTailNeedsAReadOnlyWhenTheSizeIsNotWhatItHasRead() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Path log = dir.resolve("serial.log");
      List<ConsoleLine> lines = new ArrayList<>();
      LogTail tail = new LogTail(vertx, log, 4096, true, lines::addAll);
      assertThat(tail.needsRead(LogSweep.MISSING)).as("not started: its first poll finds there is no log yet").isTrue();
      poll(vertx, tail);
      assertThat(tail.needsRead(LogSweep.MISSING)).isFalse();
      Files.writeString(log, "one\n");
      assertThat(tail.needsRead(4)).isTrue();
      poll(vertx, tail);
      assertThat(lines).extracting(ConsoleLine::line).containsExactly("one");
      assertThat(tail.needsRead(4)).as("all of it read").isFalse();
      assertThat(tail.needsRead(9)).as("appended").isTrue();
      assertThat(tail.needsRead(2)).as("truncated or rotated").isTrue();
      assertThat(tail.needsRead(LogSweep.UNKNOWN)).isTrue();
      assertThat(tail.needsRead(LogSweep.LINK)).as("a link is never read").isFalse();
    } finally {
      vertx.close();
    }
  }

  private static void poll(Vertx vertx, LogTail tail) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    vertx.runOnContext(v -> tail.poll().onComplete(ar -> done.complete(null)));
    done.get(30, TimeUnit.SECONDS);
  }
}
