package io.vmsup.supervisor.daemon;

import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.Map;

/**
 * The daemon's thread pools: Vert.x's event loops, its worker pool (process starts, record writes with their fsyncs,
 * {@code /proc} and cgroup reads, {@code qemu-img}, {@code ip}/{@code nft}) and its internal blocking pool (Vert.x's
 * own file-system calls). The pool sizes bound how many tasks run at once; the threads themselves exist only while
 * there is work ({@link IdlePools}), so a large bound costs no memory at rest.
 *
 * @param eventLoops event-loop threads (Vert.x's default: twice the CPUs)
 * @param workers worker pool size (Vert.x's default, 20: 200 starts at once write their records on up to 20)
 * @param internalBlocking internal blocking pool size (Vert.x's default, 20)
 */
public record PoolSettings(int eventLoops, int workers, int internalBlocking) {

  /** The largest accepted size of any of the three. */
  public static final int MAX = 1024;

  public PoolSettings {
    for (int n : List.of(eventLoops, workers, internalBlocking)) {
      if (n < 1 || n > MAX) {
        throw new IllegalArgumentException("pool sizes must be 1.." + MAX + ": " + n);
      }
    }
  }

  /** Vert.x's defaults on this host. */
  public static PoolSettings defaults() {
    return new PoolSettings(autoEventLoops(), VertxOptions.DEFAULT_WORKER_POOL_SIZE,
        VertxOptions.DEFAULT_INTERNAL_BLOCKING_POOL_SIZE);
  }

  /** What {@code eventLoops: auto} is here: twice the CPUs. */
  public static int autoEventLoops() {
    return VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
  }

  /** The same options with these sizes. */
  VertxOptions applyTo(VertxOptions options) {
    return options.setEventLoopPoolSize(eventLoops).setWorkerPoolSize(workers)
        .setInternalBlockingPoolSize(internalBlocking);
  }

  /** From the settings' text values; problems are added to the loader's list. */
  static PoolSettings load(Map<Setting, String> v, List<String> errors) {
    String loops = v.get(Setting.EVENT_LOOPS).trim();
    int eventLoops = autoEventLoops();
    if (!loops.equals("auto")) {
      List<String> wrong = new java.util.ArrayList<>();
      eventLoops = ConfigLoader.integer(Setting.EVENT_LOOPS, v, 1, MAX, wrong);
      wrong.forEach(e -> errors.add(e.replace(", not", " or auto, not")));
    }
    int workers = ConfigLoader.integer(Setting.WORKER_POOL_SIZE, v, 1, MAX, errors);
    int internal = ConfigLoader.integer(Setting.INTERNAL_BLOCKING_POOL_SIZE, v, 1, MAX, errors);
    return new PoolSettings(eventLoops, workers, internal);
  }
}
