package io.vmsup.supervisor.link;

import io.vmsup.supervisor.link.impl.InotifyDirWatch;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The daemon's one watch of its VM directories (inotify, through the JDK's {@link java.nio.file.WatchService}: one
 * instance, one kernel watch per directory, one thread that hands out the events). Everything that waits for a file
 * of a VM's directory holds the directory here: the console for the VM's life (its serial log), a start while it
 * waits for QEMU's QMP socket ({@link SocketWatch}). The kernel is asked once per directory, not once per holder: a
 * start in a directory the console watches already costs no system call, and a release never blocks. A directory
 * nobody holds any more keeps its kernel watch for one or two sweeps ({@value #SWEEP_MS} ms apart) before the watch's
 * thread removes it, so a start right after another reuses it.
 */
public interface DirWatch {

  /** How often the watch's thread removes the kernel watches of directories nobody held since the last sweep. */
  long SWEEP_MS = 1000;

  /** The daemon's one watch (shared by every Vert.x instance of this JVM). */
  static DirWatch shared() {
    return InotifyDirWatch.SHARED;
  }

  /**
   * Starts (or joins) the watch of {@code dir}: from the return on, every name created, moved in or modified in it
   * goes to {@code listener}. Blocking when the directory is not watched yet (the JDK asks its poller thread): call
   * off the event loop.
   *
   * @throws IOException when the directory cannot be watched (missing, the inotify watch limit): nothing is held
   */
  Hold hold(Path dir, Listener listener) throws IOException;

  /** How many hold {@code dir} now (a diagnostic: who keeps a directory watched). */
  int holders(Path dir);

  /** What a holder hears, on the watch's thread: keep it short, never block. */
  interface Listener {

    /** {@code name} (relative to the directory) was created, moved in or modified. */
    void changed(Path name);

    /**
     * Events may have been lost: the kernel's queue overflowed ({@code stopped} false), or the watch's thread stopped
     * and nothing more will come for this hold ({@code stopped} true).
     */
    void lost(boolean stopped);
  }

  /** One holder of one directory. */
  interface Hold {

    /** Whether the kernel watches the directory for this hold (false once the watch stopped). */
    boolean watching();

    /** Stops hearing the directory's events. Never blocks; a second call does nothing. */
    void release();
  }
}
