package io.vmsup.supervisor.console.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inotify hint of the console: which VMs' serial logs changed. */
class LogWatchTest {

  @TempDir
  Path dir;

  /** Collects what the watch reports until {@code vm} shows up (the kernel delivers events asynchronously). */
  private static Set<String> until(LogWatch watch, String vm) throws InterruptedException {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 6000 && !seen.contains(vm); i++) {
      Set<String> d = watch.drain();
      assertThat(d).as("no events lost").isNotNull();
      seen.addAll(d);
      Thread.sleep(10);
    }
    return seen;
  }

  @Test
  void appendsRotationsAndNewLogsMarkOnlyTheirVm() throws Exception {
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createDirectory(dir.resolve("b"));
    Path d = Files.createDirectory(dir.resolve("d"));
    try (LogWatch watch = new LogWatch("serial.log")) {
      watch.watch("a", a);
      watch.watch("b", b);
      watch.watch("d", d);
      assertThat(watch.watching("a")).isTrue();

      Files.writeString(a.resolve("serial.log"), "first\n");
      assertThat(until(watch, "a")).containsExactly("a");

      // in a VM whose log was never written: a write is several events (create, modify, close), and a's later ones
      // may be read only after the first marked a (CI run 3 of session 7 saw a again here)
      Files.writeString(d.resolve("other.txt"), "not the log\n");
      Files.writeString(b.resolve("serial.log"), "b\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      assertThat(until(watch, "b")).as("a file that is not the log marks nothing").contains("b")
          .doesNotContain("d");

      Files.move(a.resolve("serial.log"), a.resolve("serial.log.1"));
      Files.writeString(a.resolve("serial.log"), "after rotation\n");
      assertThat(until(watch, "a")).contains("a");
      // one inotify queue keeps its order: once b's change is read, every earlier event of a has been read too
      Files.writeString(b.resolve("serial.log"), "b settles\n", StandardOpenOption.APPEND);
      until(watch, "b");

      watch.unwatch("a");
      assertThat(watch.watching("a")).isFalse();
      Files.writeString(a.resolve("serial.log"), "unwatched\n", StandardOpenOption.APPEND);
      Files.writeString(b.resolve("serial.log"), "b again\n", StandardOpenOption.APPEND);
      assertThat(until(watch, "b")).as("an unwatched VM is never reported").containsExactly("b");
    }
  }
}
