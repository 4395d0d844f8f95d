package io.vmsup.supervisor.link.impl;

import io.vmsup.supervisor.link.DirWatch;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * One JDK {@link WatchService} (one inotify instance) for every VM directory the daemon waits on, one kernel watch
 * per directory whatever the number of holders. Registrations and removals of kernel watches go through the JDK's
 * poller thread (a wake-up and a wait each): they happen here only when a directory is first held and when it was
 * left unheld for a whole sweep, never on a release.
 */
public final class InotifyDirWatch implements DirWatch {

  private static final Logger LOG = Logger.getLogger(InotifyDirWatch.class.getName());
  public static final InotifyDirWatch SHARED = new InotifyDirWatch();

  /** Guards the kernel side: registrations, removals and the service's life. */
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Path, Entry> entries = new ConcurrentHashMap<>();
  /** Directories whose last holder left: the sweep removes those still unheld at its next pass. */
  private final Set<Entry> idle = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean listenerWarned = new AtomicBoolean();
  private volatile WatchService service;

  private InotifyDirWatch() {
  }

  @Override
  public Hold hold(Path dir, Listener listener) throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    lock.lock(); // first holds on workers: a registration goes through the JDK's poller anyway
    try {
      WatchService s = service();
      Object inode = Files.readAttributes(d, BasicFileAttributes.class).fileKey();
      Entry e = entries.get(d);
      if (e != null && !inode.equals(e.inode)) {
        e = null; // another directory under that path now (a VM deleted, then made again): its own watch and holders
      }
      if (e == null || e.key == null || !e.key.isValid()) {
        WatchKey k = d.register(s, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        if (e == null) {
          e = new Entry(inode);
          entries.put(d, e);
        }
        e.key = k;
      }
      Holder h = new Holder(this, e, listener);
      e.holders.add(h);
      e.idleSeen = false;
      idle.remove(e);
      return h;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int holders(Path dir) {
    Entry e = entries.get(dir.toAbsolutePath().normalize());
    return e == null ? 0 : e.holders.size();
  }

  private WatchService service() throws IOException {
    WatchService s = service;
    if (s == null) {
      s = FileSystems.getDefault().newWatchService();
      WatchService started = s;
      Thread t = new Thread(() -> run(started), "vmsup-dir-watch");
      t.setDaemon(true);
      t.start();
      service = s;
    }
    return s;
  }

  private void run(WatchService s) {
    long nextSweep = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SWEEP_MS);
    try {
      while (true) {
        WatchKey key = s.poll(SWEEP_MS, TimeUnit.MILLISECONDS);
        if (key != null) {
          deliver(key);
        }
        if (System.nanoTime() - nextSweep >= 0) {
          sweep();
          nextSweep = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SWEEP_MS);
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException closed) {
      // never closed while the daemon runs
    } catch (RuntimeException e) {
      LOG.warning("the VM directory watch stopped (" + e + "): QMP readiness and serial logs are polled");
    }
    stopped(s);
  }

  private void deliver(WatchKey key) {
    Entry e = entries.get((Path) key.watchable());
    for (WatchEvent<?> ev : key.pollEvents()) {
      if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
        // the JDK signals a lost queue on every key: every holder hears it (a second time is harmless)
        entries.values().forEach(x -> x.holders.forEach(h -> tell(h, null)));
      } else if (e != null && e.key == key && ev.context() instanceof Path name) {
        e.holders.forEach(h -> tell(h, name));
      }
    }
    if (!key.reset() && e != null && e.key == key) {
      gone(key, e);
    }
  }

  /**
   * The kernel dropped a directory's watch (the directory was removed): the next hold of its path registers anew; one
   * held now whose path exists again (made again under a recycled inode number) is watched anew at once, and its
   * holders hear that events may have been lost meanwhile.
   */
  private void gone(WatchKey key, Entry e) {
    Path d = (Path) key.watchable();
    boolean again = false;
    lock.lock();
    try {
      if (e.key != key) {
        return;
      }
      e.key = null;
      WatchService s = service;
      if (s != null && !e.holders.isEmpty() && entries.get(d) == e) {
        e.key = d.register(s, StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY);
        again = true;
      }
    } catch (IOException | RuntimeException notThere) {
      // not made again (yet): the next hold registers
    } finally {
      lock.unlock();
    }
    if (again) {
      e.holders.forEach(h -> tell(h, null));
    }
  }

  private void tell(Holder h, Path name) {
    try {
      if (name == null) {
        h.listener.lost(false);
      } else {
        h.listener.changed(name);
      }
    } catch (RuntimeException bad) {
      if (listenerWarned.compareAndSet(false, true)) {
        LOG.warning("a VM directory watch listener failed (" + bad + "); the watch goes on");
      }
    }
  }

  /** Removes the kernel watches of directories unheld since the last sweep (held again meanwhile: kept). */
  private void sweep() {
    if (idle.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      for (Entry e : List.copyOf(idle)) {
        if (!e.holders.isEmpty()) {
          idle.remove(e);
        } else if (!e.idleSeen) {
          e.idleSeen = true; // a release just before this sweep: kept until the next one
        } else {
          idle.remove(e);
          entries.values().remove(e);
          if (e.key != null) {
            e.key.cancel();
            e.key = null;
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void stopped(WatchService s) {
    List<Entry> all;
    lock.lock();
    try {
      if (service == s) {
        service = null;
      }
      all = List.copyOf(entries.values());
      entries.clear();
      idle.clear();
    } finally {
      lock.unlock();
    }
    for (Entry e : all) {
      e.key = null;
      e.holders.forEach(h -> {
        h.stopped = true;
        h.listener.lost(true);
      });
    }
    try {
      s.close();
    } catch (IOException ignored) {
      // the watch is over either way
    }
  }

  private void released(Entry e) {
    if (e.holders.isEmpty()) {
      idle.add(e); // a hold racing this one takes it out again (under the lock); the sweep re-checks
    }
  }

  /** One watched directory: its kernel watch (null once the directory is gone) and its holders. */
  private static final class Entry {
    /** The directory's identity when it was first held (device and inode). */
    final Object inode;
    final Set<Holder> holders = ConcurrentHashMap.newKeySet();
    volatile WatchKey key;
    /** Unheld at the last sweep (under the lock). */
    boolean idleSeen;

    Entry(Object inode) {
      this.inode = inode;
    }
  }

  private static final class Holder implements Hold {
    final InotifyDirWatch owner;
    final Entry entry;
    final Listener listener;
    final AtomicBoolean released = new AtomicBoolean();
    volatile boolean stopped;

    Holder(InotifyDirWatch owner, Entry entry, Listener listener) {
      this.owner = owner;
      this.entry = entry;
      this.listener = listener;
    }

    @Override
    public boolean watching() {
      return !stopped && !released.get();
    }

    @Override
    public void release() {
      if (released.compareAndSet(false, true)) {
        entry.holders.remove(this);
        owner.released(entry);
      }
    }
  }
}
