package io.vmsup.supervisor.link.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vmsup.supervisor.link.SocketWatch;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * One inotify instance for the QMP sockets of every start under way. A directory is watched while a start waits in it
 * (a count per directory); a lost event queue (OVERFLOW) or a dead poller completes every waiter, which then polls.
 */
public final class InotifySocketWatch implements SocketWatch {

  private static final Logger LOG = Logger.getLogger(InotifySocketWatch.class.getName());
  public static final InotifySocketWatch SHARED = new InotifySocketWatch();

  private final ReentrantLock keysLock = new ReentrantLock();
  private final Map<Path, WatchKey> keys = new ConcurrentHashMap<>();
  private final Map<Path, Integer> users = new ConcurrentHashMap<>();
  /** file → the starts waiting for it: an event finds its own, however many starts wait (queued ones included). */
  private final Map<Path, Set<Waiter>> waiters = new ConcurrentHashMap<>();
  private final AtomicBoolean warned = new AtomicBoolean();
  private volatile WatchService service;

  private InotifySocketWatch() {
  }

  @Override
  public Watched watch(Path file, Context context) {
    Path dir = file.toAbsolutePath().getParent();
    Waiter w = new Waiter(this, file.toAbsolutePath(), dir, context);
    try {
      register(dir);
    } catch (IOException | RuntimeException e) {
      if (warned.compareAndSet(false, true)) {
        LOG.warning("cannot watch " + dir + " for QMP sockets (" + e + "): QMP readiness is polled");
      }
      w.fire();
      return w;
    }
    w.registered = true;
    waiters.compute(w.file, (k, set) -> {
      Set<Waiter> s = set == null ? ConcurrentHashMap.newKeySet() : set;
      s.add(w); // inside compute: a release emptying the same entry cannot drop it meanwhile
      return s;
    });
    // created before the watch began (or the event raced the registration): no event will tell
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      w.fire();
    }
    return w;
  }

  private void register(Path dir) throws IOException {
    keysLock.lock(); // starts only, on workers: a handful of threads at once
    try {
      WatchService s = service();
      if (!keys.containsKey(dir)) {
        keys.put(dir, dir.register(s, StandardWatchEventKinds.ENTRY_CREATE));
      }
      users.merge(dir, 1, Integer::sum);
    } finally {
      keysLock.unlock();
    }
  }

  private void release(Waiter w) {
    forget(w);
    if (!w.registered || !w.released.compareAndSet(false, true)) {
      return;
    }
    keysLock.lock();
    try {
      Integer left = users.merge(w.dir, -1, Integer::sum);
      if (left != null && left <= 0) {
        users.remove(w.dir);
        WatchKey k = keys.remove(w.dir);
        if (k != null) {
          k.cancel();
        }
      }
    } finally {
      keysLock.unlock();
    }
  }

  private void forget(Waiter w) {
    waiters.computeIfPresent(w.file, (k, set) -> {
      set.remove(w);
      return set.isEmpty() ? null : set;
    });
  }

  private void fireAll() {
    waiters.values().forEach(set -> set.forEach(Waiter::fire));
  }

  private WatchService service() throws IOException {
    WatchService s = service;
    if (s == null) {
      s = FileSystems.getDefault().newWatchService();
      WatchService started = s;
      Thread t = new Thread(() -> run(started), "vmsup-qmp-watch");
      t.setDaemon(true);
      t.start();
      service = s;
    }
    return s;
  }

  private void run(WatchService s) {
    try {
      while (true) {
        WatchKey key = s.take();
        Path dir = (Path) key.watchable();
        for (WatchEvent<?> e : key.pollEvents()) {
          if (e.kind() == StandardWatchEventKinds.OVERFLOW) {
            fireAll();
          } else if (e.context() instanceof Path name) {
            Set<Waiter> these = waiters.get(dir.resolve(name));
            if (these != null) {
              these.forEach(Waiter::fire);
            }
          }
        }
        key.reset();
      }
    } catch (ClosedWatchServiceException | InterruptedException closed) {
      // never closed while the daemon runs
    } catch (RuntimeException e) {
      LOG.warning("the QMP socket watch stopped (" + e + "): QMP readiness is polled");
    }
    keysLock.lock();
    try {
      service = null;
      keys.clear();
      users.clear();
    } finally {
      keysLock.unlock();
    }
    fireAll();
  }

  /** One start's wait; {@link #fire} completes it once, on its context. */
  private static final class Waiter implements Watched {
    final InotifySocketWatch owner;
    final Path file;
    final Path dir;
    final Context context;
    final Promise<Void> promise = Promise.promise();
    final AtomicBoolean fired = new AtomicBoolean();
    final AtomicBoolean released = new AtomicBoolean();
    volatile boolean registered;

    Waiter(InotifySocketWatch owner, Path file, Path dir, Context context) {
      this.owner = owner;
      this.file = file;
      this.dir = dir;
      this.context = context;
    }

    void fire() {
      if (fired.compareAndSet(false, true)) {
        try {
          context.runOnContext(v -> promise.tryComplete());
        } catch (RuntimeException closed) {
          // its Vert.x instance closed meanwhile (nobody waits any more): never a reason to stop the shared watch
          owner.forget(this);
        }
      }
    }

    @Override
    public Future<Void> created() {
      return promise.future();
    }

    @Override
    public boolean watching() {
      return registered;
    }

    @Override
    public void cancel() {
      owner.release(this);
      fire();
    }
  }
}
