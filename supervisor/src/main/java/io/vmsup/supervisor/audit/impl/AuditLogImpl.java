package io.vmsup.supervisor.audit.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.internal.WorkerExecutorInternal;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.audit.AuditLog;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Appends on a one-thread worker pool, so records keep their order without any lock on an event loop. Records wait in
 * a queue; the worker takes all that wait and appends them with one write (a group commit: callers that hand records
 * in together share the write and the thread hop). At open, the calls a killed daemon left without an outcome are
 * closed as {@code unknown} ({@link Unfinished}).
 */
public final class AuditLogImpl implements AuditLog {

  private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
  private static final int MAX_BATCH_BYTES = 256 * 1024;

  /**
   * A record (or, without one, a flush marker) and whoever waits for it to be written; {@code line} is null for a
   * record no one changes after handing it in, which the writing thread encodes (off the caller's path).
   */
  private record Item(JsonObject entry, byte[] line, Promise<Void> written) {

    byte[] bytes() {
      return line != null ? line : entry == null ? null : AuditLogImpl.line(entry);
    }
  }

  // held: Vert.x closes a worker executor's pool once the executor is unreachable (its cleaner)
  private final WorkerExecutor worker;
  /** The audit worker's own thread pool: a task handed to it posts no result back to the caller's event loop. */
  private final Executor pool;
  private final AppendFile out;
  private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private byte[] batch = new byte[8192]; // the worker's only
  private volatile boolean poolGone;

  private AuditLogImpl(WorkerExecutor worker, AppendFile out) {
    this.worker = worker;
    this.pool = ((WorkerExecutorInternal) worker).pool().executor();
    this.out = out;
  }

  public static Future<AuditLog> open(Vertx vertx, Path file, long maxBytes, int keep) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("vmsup-audit-" + file, 1);
    return worker.executeBlocking(() -> {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      AppendFile out = new AppendFile(file, maxBytes, keep);
      AuditLogImpl log = new AuditLogImpl(worker, out);
      List<JsonObject> unknown = Unfinished.find(out.sibling(1), file);
      if (!unknown.isEmpty()) {
        LOG.warning(unknown.size() + " request(s) had no outcome when the daemon stopped; audited as unknown");
        log.writeBatch(unknown.stream().map(e -> new Item(e, line(e), null)).toList());
      }
      return (AuditLog) log;
    });
  }

  @Override
  public void record(JsonObject entry) {
    enqueue(new Item(entry, null, null));
  }

  @Override
  public Runnable queued(JsonObject entry) {
    queue.add(new Item(entry, null, null));
    return this::wake;
  }

  private void wake() {
    if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
      handOff();
    }
  }

  /**
   * Encodes the record at once (the caller may change the entry afterwards). On a thread that may block (not an event
   * loop: an in-process caller's own thread, a worker) with no write under way, the caller writes the waiting records
   * itself, so its record is in the file when this returns, without waking the audit thread and waiting for it.
   */
  @Override
  public Future<Void> written(JsonObject entry) {
    Promise<Void> p = Promise.promise();
    Item item = new Item(entry, line(entry), p);
    if (!Context.isOnEventLoopThread() && !Thread.currentThread().isInterrupted()
        && draining.compareAndSet(false, true)) {
      queue.add(item);
      drainHere();
    } else {
      enqueue(item);
    }
    return p.future();
  }

  @Override
  public Future<Void> flush() {
    Promise<Void> p = Promise.promise();
    enqueue(new Item(null, null, p));
    return p.future();
  }

  private static byte[] line(JsonObject entry) {
    return (entry.encode() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private void enqueue(Item item) {
    queue.add(item);
    if (draining.compareAndSet(false, true)) {
      handOff();
    }
  }

  /**
   * Lets the audit thread drain the queue ({@code draining} held). Straight to the worker's pool, not through
   * {@code executeBlocking}, whose result (unused here) is posted back to the caller's context: one more wake-up of
   * the HTTP or the VM's event loop per record, two per pass-through call (issue 15).
   */
  private void handOff() {
    try {
      pool.execute(this::drainOrSay);
    } catch (RejectedExecutionException e) {
      // the pool is closed (the daemon stops): say what is left rather than lose it without a word
      if (!poolGone) {
        poolGone = true;
        LOG.warning("the audit thread's pool is closed: records are written by the threads that hand them in");
      }
      draining.set(false);
      writeBatch(take());
    }
  }

  /** {@link #drain} on the audit thread; a failure there must not leave {@code draining} held for good. */
  private void drainOrSay() {
    try {
      drain();
    } catch (RuntimeException | Error e) {
      LOG.severe("audit thread failed, records taken meanwhile may be missing: " + e);
      draining.set(false);
      if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
        handOff();
      }
    }
  }

  /** One batch on the caller's thread ({@code draining} held); what came in meanwhile goes to the audit thread. */
  private void drainHere() {
    writeBatch(take());
    draining.set(false);
    if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
      handOff();
    }
  }

  private Void drain() {
    while (true) {
      List<Item> items = take();
      if (!items.isEmpty()) {
        writeBatch(items);
        continue;
      }
      draining.set(false);
      // a record queued after take() and before set(false) found draining true: take it here
      if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
        return null;
      }
    }
  }

  private List<Item> take() {
    List<Item> items = new ArrayList<>();
    int bytes = 0;
    Item item;
    while (bytes < MAX_BATCH_BYTES && (item = queue.poll()) != null) {
      byte[] line = item.bytes();
      items.add(line == item.line() ? item : new Item(item.entry(), line, item.written()));
      bytes += line == null ? 0 : line.length;
    }
    return items;
  }

  /**
   * Writes the batch; a caller's thread interrupted meanwhile closed the (interruptible) channel under the write:
   * once more with the interrupt held back, so a record is not lost to someone else's interrupt.
   */
  private void append(int length) throws IOException {
    if (length == 0) {
      return;
    }
    try {
      out.append(batch, length);
    } catch (ClosedByInterruptException e) {
      boolean interrupted = Thread.interrupted();
      try {
        out.append(batch, length);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** One write for the whole batch; a failure is reported with every record's content, never dropped silently. */
  private void writeBatch(List<Item> items) {
    int n = 0;
    for (Item i : items) {
      n += i.line() == null ? 0 : i.line().length;
    }
    if (batch.length < n) {
      batch = new byte[Math.max(n, 2 * batch.length)];
    }
    int at = 0;
    for (Item i : items) {
      if (i.line() != null) {
        System.arraycopy(i.line(), 0, batch, at, i.line().length);
        at += i.line().length;
      }
    }
    Throwable failure = null;
    try {
      append(at);
    } catch (Throwable t) {
      failure = t;
      for (Item i : items) {
        if (i.entry() != null) {
          LOG.severe("audit record not written (" + t + "): " + i.entry().encode());
        }
      }
    }
    for (Item i : items) {
      if (i.written() != null) {
        if (failure == null) {
          i.written().complete();
        } else {
          i.written().fail(failure);
        }
      }
    }
  }
}
