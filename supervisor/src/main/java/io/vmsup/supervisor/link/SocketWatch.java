package io.vmsup.supervisor.link;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vmsup.supervisor.link.impl.InotifySocketWatch;
import java.nio.file.Path;

/**
 * Says when a starting QEMU has created its QMP socket, from inotify (the JDK's {@link java.nio.file.WatchService} on
 * Linux) instead of guessed connect attempts: {@link ConnectLoop} connects when the socket appears. QEMU's socket stays
 * a server socket at its path, so a daemon restarted later re-attaches to it as before.
 */
public interface SocketWatch {

  /** The daemon's one watch: a holder of each waiting start's VM directory in the {@link DirWatch}. */
  static SocketWatch shared() {
    return InotifySocketWatch.SHARED;
  }

  /**
   * Starts watching for {@code file} to be created; call before the spawn that creates it. Blocking (a system call
   * when nothing watches the directory yet, and a check that the file is not there already): call off the event loop. Never fails: when the directory cannot be watched (the inotify watch limit, say)
   * the result says so and its {@link Watched#created()} is complete at once, which leaves the caller polling.
   *
   * @param context where {@link Watched#created()} completes
   */
  Watched watch(Path file, Context context);

  /** One file being waited for. */
  interface Watched {

    /** Completes on the watch's context when the file exists (or when the watch cannot tell any more). */
    Future<Void> created();

    /** Whether the kernel watches the directory: false when {@link #created()} completed only to let the caller poll. */
    boolean watching();

    /** Stops watching. Never blocks (the kernel's watch, when nothing else holds it, goes later: {@link DirWatch}). */
    void cancel();
  }
}
