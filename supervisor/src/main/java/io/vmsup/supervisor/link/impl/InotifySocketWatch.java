package io.vmsup.supervisor.link.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vmsup.supervisor.link.DirWatch;
import io.vmsup.supervisor.link.SocketWatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * A start's wait for its QMP socket, as one holder of the VM directory's watch ({@link DirWatch}: the console holds
 * the same directory for the VM's life, so a start usually adds no kernel watch and removes none). A lost event queue
 * or a stopped watch completes the wait, which then polls.
 */
public final class InotifySocketWatch implements SocketWatch {

  private static final Logger LOG = Logger.getLogger(InotifySocketWatch.class.getName());
  public static final InotifySocketWatch SHARED = new InotifySocketWatch(DirWatch.shared());

  private final DirWatch dirs;
  private final AtomicBoolean warned = new AtomicBoolean();

  private InotifySocketWatch(DirWatch dirs) {
    this.dirs = dirs;
  }

  @Override
  public Watched watch(Path file, Context context) {
    Path abs = file.toAbsolutePath();
    Waiter w = new Waiter(abs.getFileName(), context);
    try {
      w.hold = dirs.hold(abs.getParent(), w);
    } catch (IOException | RuntimeException e) {
      if (warned.compareAndSet(false, true)) {
        LOG.warning("cannot watch " + abs.getParent() + " for QMP sockets (" + e + "): QMP readiness is polled");
      }
      w.fire();
      return w;
    }
    // created before the watch began (or the event raced the registration): no event will tell
    if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
      w.fire();
    }
    return w;
  }

  /** One start's wait; {@link #fire} completes it once, on its context. */
  private static final class Waiter implements Watched, DirWatch.Listener {
    final Path name;
    final Context context;
    final Promise<Void> promise = Promise.promise();
    final AtomicBoolean fired = new AtomicBoolean();
    volatile DirWatch.Hold hold;

    Waiter(Path name, Context context) {
      this.name = name;
      this.context = context;
    }

    @Override
    public void changed(Path changed) {
      if (name.equals(changed)) {
        fire();
      }
    }

    @Override
    public void lost(boolean stopped) {
      fire();
    }

    void fire() {
      if (fired.compareAndSet(false, true)) {
        try {
          context.runOnContext(v -> promise.tryComplete());
        } catch (RuntimeException closed) {
          // its Vert.x instance closed meanwhile (nobody waits any more): never a reason to stop the shared watch
          DirWatch.Hold h = hold;
          if (h != null) {
            h.release();
          }
        }
      }
    }

    @Override
    public Future<Void> created() {
      return promise.future();
    }

    @Override
    public boolean watching() {
      DirWatch.Hold h = hold;
      return h != null && h.watching();
    }

    @Override
    public void cancel() {
      DirWatch.Hold h = hold;
      if (h != null) {
        h.release();
      }
      fire();
    }
  }
}
