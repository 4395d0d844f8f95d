package io.vmsup.supervisor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Record writes whose fsyncs run at once ({@link Flushes}, {@link AtomicFiles#writeAll}): twenty VMs' two-file records
 * written in the same instant, ten on a full tmpfs and ten on one with room. Exactly the ten on the full one fail, with
 * the system's reason; their old files are intact and no temp file is left; the other ten hold their new records.
 */
class ConcurrentFlushIT {

  private Tmpfs full;
  private Tmpfs roomy;
  private final ExecutorService writers = Executors.newFixedThreadPool(20);

  @BeforeEach
  void mount() throws Exception {
    assumeTrue(Tmpfs.root(), "mounting a tmpfs needs root (CI runs as root)");
    full = Tmpfs.mount("1m");
    roomy = Tmpfs.mount("4m");
  }

  @AfterEach
  void unmount() throws Exception {
    writers.shutdownNow();
    if (full != null) {
      full.close();
    }
    if (roomy != null) {
      roomy.close();
    }
  }

  @Test
  void aFullDiskFailsExactlyTheWritesOnItAndLeavesTheirOldRecords() throws Exception {
    List<Path> dirs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Path dir = (i % 2 == 0 ? full : roomy).mountPoint.resolve("vm" + i);
      AtomicFiles.ensureDir(dir);
      AtomicFiles.writeAll(dir, record("STOPPED", "old"), dir.getParent());
      dirs.add(dir);
    }
    full.fill();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Throwable>> results = new ArrayList<>();
    for (Path dir : dirs) {
      results.add(writers.submit(() -> {
        go.await();
        try {
          AtomicFiles.writeAll(dir, record("RUNNING", "x".repeat(64 * 1024)));
          return null;
        } catch (java.io.IOException e) {
          return e;
        }
      }));
    }
    go.countDown();
    for (int i = 0; i < 20; i++) {
      Throwable t = results.get(i).get(60, TimeUnit.SECONDS);
      Path dir = dirs.get(i);
      if (i % 2 == 0) {
        assertThat(t).as(dir + " is on the full disk").isNotNull();
        assertThat(AtomicFiles.reason(t)).isEqualTo("No space left on device");
        assertThat(read(dir, "desired")).isEqualTo("STOPPED");
        assertThat(read(dir, "runtime.json")).isEqualTo("old");
      } else {
        assertThat(t).as(dir + " has room").isNull();
        assertThat(read(dir, "desired")).isEqualTo("RUNNING");
        assertThat(read(dir, "runtime.json")).hasSize(64 * 1024);
      }
    }
    assertThat(full.tempFiles()).isEmpty();
    assertThat(roomy.tempFiles()).isEmpty();
  }

  private static Map<String, byte[]> record(String desired, String runtime) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("desired", desired.getBytes(StandardCharsets.UTF_8));
    files.put("runtime.json", runtime.getBytes(StandardCharsets.UTF_8));
    return files;
  }

  private static String read(Path dir, String file) throws Exception {
    return Files.readString(dir.resolve(file));
  }
}
