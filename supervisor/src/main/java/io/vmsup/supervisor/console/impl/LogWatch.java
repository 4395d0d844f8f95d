package io.vmsup.supervisor.console.impl;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Tells which VMs' serial logs changed, from inotify (the JDK's {@link WatchService} on Linux): the console verticle
 * reads a log when it changed instead of asking the file system about every log ten times a second, which at 10,000
 * VMs would be 200,000 file-system calls a second at rest. One thread takes the kernel's events for every VM.
 *
 * <p>Nothing here is trusted to be complete: a lost event queue (OVERFLOW) marks every VM changed, a directory that
 * cannot be watched (the watch limit) is reported so its log is polled as before, and the caller still sweeps every
 * log now and then.
 */
final class LogWatch implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LogWatch.class.getName());

  private final WatchService service;
  private final Map<WatchKey, String> vms = new ConcurrentHashMap<>();
  private final Map<String, WatchKey> keys = new ConcurrentHashMap<>();
  private final Set<String> changed = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean overflow = new AtomicBoolean();
  private final String file;
  private volatile boolean alive = true;

  /** Watches for changes of {@code file} (a name, such as {@code serial.log}) in each registered directory. */
  LogWatch(String file) throws IOException {
    this.file = file;
    this.service = FileSystems.getDefault().newWatchService();
    Thread t = new Thread(this::run, "vmsup-console-watch");
    t.setDaemon(true);
    t.start();
  }

  /** Starts watching {@code dir} for {@code vm}. Blocking (one system call): call off the event loop. */
  void watch(String vm, Path dir) throws IOException {
    if (!alive) {
      throw new IOException("the log watch has stopped");
    }
    WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
    vms.put(key, vm);
    WatchKey old = keys.put(vm, key);
    if (old != null && old != key) {
      vms.remove(old);
      old.cancel();
    }
  }

  /** Stops watching {@code vm}'s directory. */
  void unwatch(String vm) {
    WatchKey key = keys.remove(vm);
    if (key != null) {
      vms.remove(key);
      key.cancel();
    }
  }

  /** False once the watch's thread stopped: no change is announced any more. */
  boolean alive() {
    return alive;
  }

  boolean watching(String vm) {
    return alive && keys.containsKey(vm);
  }

  /** The VMs whose log changed since the last call; null when events were lost (treat every VM as changed). */
  Set<String> drain() {
    if (overflow.getAndSet(false)) {
      changed.clear();
      return null;
    }
    Set<String> out = new HashSet<>();
    for (String vm : changed) {
      changed.remove(vm);
      out.add(vm);
    }
    return out;
  }

  private void run() {
    try {
      while (true) {
        WatchKey key = service.take();
        String vm = vms.get(key);
        for (WatchEvent<?> e : key.pollEvents()) {
          if (e.kind() == StandardWatchEventKinds.OVERFLOW) {
            overflow.set(true);
          } else if (vm != null && e.context() instanceof Path p && p.toString().equals(file)) {
            changed.add(vm);
          }
        }
        if (!key.reset()) {
          vms.remove(key); // the directory is gone (the VM was deleted)
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException closed) {
      // closed with the verticle
    } catch (RuntimeException e) {
      LOG.warning("console: the log watch stopped (" + e + "); every log is polled again");
      alive = false;
      overflow.set(true);
    }
  }

  @Override
  public void close() throws IOException {
    service.close();
  }
}
