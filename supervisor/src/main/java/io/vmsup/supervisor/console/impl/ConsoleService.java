package io.vmsup.supervisor.console.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vmsup.supervisor.api.VmHandle;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.console.ConsoleVerticle;
import io.vmsup.config.RuntimeArgs;
import io.vmsup.supervisor.vm.VmDeps;
import io.vmsup.supervisor.vm.VmTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The console verticle's state, confined to its context: one log tail and one input connection per VM. */
public final class ConsoleService {

  private final Vertx vertx;
  private final VmDeps deps;
  private final SerialWriters writers;
  private static final int IDLE_EVERY = 10;
  /** Every log is looked at once in this many rounds (≈30 s), watched or not: the watch is a hint, not the truth. */
  private static final int SWEEP_EVERY = 300;
  /** Every this many rounds (1 s) the VM table is walked. */
  private static final int RECONCILE_EVERY = 10;
  /** The most log reads one round starts. */
  static final int READS_PER_ROUND = 256;

  private final Map<String, LogTail> tails = new HashMap<>();
  private final LogWatch watch;
  private long tick;
  private final Set<String> atStart;
  /** VMs whose log is to be read, in order: read in the next rounds, {@value #READS_PER_ROUND} a round. */
  private final Set<String> due = new LinkedHashSet<>();
  /** VMs whose directory is not watched (no inotify, or its registration failed or is under way). */
  private final Set<String> unwatched = new HashSet<>();
  /** VMs whose QEMU ran at the last walk of the table. */
  private final Set<String> running = new HashSet<>();
  private boolean watchLost;
  private final LogSweep sweep = new LogSweep();
  /** A slice's sizes are being read. */
  private boolean sweepRunning;
  /** {@link VmTable#changes} at the last walk of the table. */
  private long walked = -1;

  /** VMs in the table now are followed from the end of their logs; VMs that appear later from the start. */
  public ConsoleService(Vertx vertx, VmDeps deps, NetClient client) {
    this.vertx = vertx;
    this.deps = deps;
    this.atStart = new HashSet<>(deps.table().keySet());
    this.writers = new SerialWriters(client);
    this.watch = new LogWatch(RuntimeArgs.in(java.nio.file.Path.of(".")).serialLog().getFileName().toString());
  }

  private RuntimeArgs paths(String vm) {
    return RuntimeArgs.in(deps.store().vmDir(vm));
  }

  /**
   * One round of the logs, its work bounded however many VMs there are: a log is read when inotify says it changed
   * (see {@link LogWatch}), when it is new, when it cannot be watched (then every {@value #IDLE_EVERY}th round while
   * its VM has no process, else every round, as without a watch), and when the sweep finds its size moved: every
   * round the sizes of the next slice of logs are read in one blocking task, so every log is looked at once per
   * {@value #SWEEP_EVERY} rounds ({@link LogSweep}); after lost events (the kernel's queue overflowed) every log is
   * read. At most {@value #READS_PER_ROUND} reads start in one round, the rest wait for the next rounds in order. The
   * VM table is walked every {@value #RECONCILE_EVERY}th round, and only when it changed since the last walk
   * ({@link VmTable#changes}): new VMs followed, tails of VMs that are gone dropped with their input connection and
   * their watch; a new VM's log is read from its first byte, so a later start of its tail loses nothing.
   */
  public void pollAll() {
    tick++;
    if (tick % RECONCILE_EVERY == 1) {
      reconcile(deps.table());
    }
    Set<String> changed = Set.of();
    if (watch != null && watch.alive()) {
      changed = watch.drain();
    } else if (watch != null && !watchLost) {
      watchLost = true; // the watch thread stopped: every log is polled as without a watch from now on
      unwatched.addAll(tails.keySet());
    }
    if (changed == null) {
      due.addAll(tails.keySet());
    } else {
      due.addAll(changed);
      sweepSlice();
    }
    for (String vm : unwatched) {
      if (running.contains(vm) || tick % IDLE_EVERY == 0) {
        due.add(vm);
      }
    }
    int reads = 0;
    for (var it = due.iterator(); it.hasNext() && reads < READS_PER_ROUND; reads++) {
      LogTail tail = tails.get(it.next());
      it.remove();
      if (tail != null) {
        tail.poll();
      }
    }
  }

  /** The sweep's slice of this round: their sizes in one blocking task, then a read of those that moved. */
  private void sweepSlice() {
    if (sweepRunning || tails.isEmpty()) {
      return; // the last slice's sizes are still being read (a slow disk): this round's waits for the next round
    }
    List<String> slice = sweep.next(tails.keySet(), SWEEP_EVERY);
    List<LogTail> of = new ArrayList<>(slice.size());
    slice.forEach(vm -> of.add(tails.get(vm)));
    List<java.nio.file.Path> logs = LogSweep.paths(slice, vm -> paths(vm).serialLog());
    sweepRunning = true;
    vertx.executeBlocking(() -> LogSweep.sizes(logs), false).onComplete(ar -> {
      sweepRunning = false;
      for (int i = 0; i < slice.size(); i++) {
        LogTail tail = tails.get(slice.get(i));
        // a VM gone meanwhile, or a new tail under its name, which reads its log anyway
        if (tail != null && tail == of.get(i) && (ar.failed() || tail.needsRead(ar.result()[i]))) {
          due.add(slice.get(i));
        }
      }
    });
  }

  /**
   * Follows the table's VMs when it changed since the last walk: new ones are followed, gone ones dropped, those
   * without a process lose their input; once a sweep, watches that failed are tried again.
   */
  private void reconcile(VmTable table) {
    if (tick % SWEEP_EVERY == 1) {
      for (String vm : List.copyOf(unwatched)) {
        if (tails.containsKey(vm)) {
          startWatching(vm); // a failed registration is tried again once a sweep
        }
      }
    }
    long now = table.changes(); // before the walk: a change during the walk is walked again next time
    if (now == walked) {
      return;
    }
    walked = now;
    tails.keySet().removeIf(vm -> {
      boolean gone = !table.containsKey(vm);
      if (gone) {
        writers.close(vm);
        atStart.remove(vm);
        running.remove(vm);
        unwatched.remove(vm);
        due.remove(vm);
        if (watch != null) {
          watch.unwatch(vm);
        }
      }
      return gone;
    });
    for (VmHandle h : table.values()) {
      String vm = h.name();
      if (h.state().hasProcess()) {
        running.add(vm);
      } else if (running.remove(vm)) {
        writers.close(vm);
      }
      if (!tails.containsKey(vm)) {
        follow(vm);
        due.add(vm);
      }
    }
  }

  /**
   * Takes the end of every log of the VMs there at start as the point where the live stream begins, before the
   * daemon says it is ready: a line a client provokes once it is (an echo on the console) is live, never history.
   */
  public Future<Void> begin() {
    List<Future<Void>> positioned = new ArrayList<>();
    for (String vm : atStart) {
      positioned.add(follow(vm).poll().otherwise((Void) null)); // unreadable now: positioned by a later poll
    }
    return Future.all(positioned).mapEmpty();
  }

  private LogTail follow(String vm) {
    LogTail tail = new LogTail(vertx, paths(vm).serialLog(), ConsoleVerticle.MAX_LINE, atStart.contains(vm),
        lines -> publish(vm, lines));
    tails.put(vm, tail);
    startWatching(vm);
    return tail;
  }

  private void startWatching(String vm) {
    unwatched.add(vm); // polled as without a watch until the registration succeeded
    if (watch == null) {
      return;
    }
    java.nio.file.Path dir = deps.store().vmDir(vm);
    vertx.<Void>executeBlocking(() -> {
      watch.watch(vm, dir);
      return null;
    }, false).onSuccess(v -> {
      LogTail tail = tails.get(vm);
      if (tail != null) {
        unwatched.remove(vm);
        due.add(vm); // what was written between the first read and the watch
      }
    });
  }

  /** Stops the watch (the verticle stops). */
  public void close() {
    if (watch != null) {
      watch.close();
    }
  }

  private void publish(String vm, List<ConsoleLine> lines) {
    String address = Addresses.console(vm);
    for (ConsoleLine l : lines) {
      vertx.eventBus().publish(address, l.toJson().put("vm", vm));
    }
  }

  /** {@code {"vm","lines":[{"line","offset"}],"next","truncated"}}; {@code after} -1 for no lower bound. */
  public Future<JsonObject> history(String vm, int lines, long after) {
    return vertx.executeBlocking(() -> History.read(paths(vm).serialLog(), lines, after, ConsoleVerticle.MAX_LINE),
        false).map(r -> {
          JsonArray out = new JsonArray();
          r.lines().forEach(l -> out.add(l.toJson()));
          return new JsonObject().put("vm", vm).put("lines", out).put("next", r.next())
              .put("truncated", r.truncated());
        });
  }

  /** {@code {"name","bytes"}} once the bytes were handed to the socket. */
  public Future<JsonObject> write(String vm, String data) {
    Buffer bytes = Buffer.buffer(data.getBytes(StandardCharsets.UTF_8));
    return writers.write(vm, paths(vm).serialSocket(), bytes)
        .map(n -> new JsonObject().put("name", vm).put("bytes", n));
  }

  public static VmException invalid(String path, String message) {
    return VmException.invalid(path + ": " + message, new JsonArray()
        .add(new JsonObject().put("path", path).put("message", message)));
  }
}
