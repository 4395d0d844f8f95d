package io.vmsup.supervisor.daemon;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the live QEMUs named {@code -name guest=NAME} on the machine every 100 ms on a thread of its own, and keeps
 * the most seen at once: the witness that two copies of a VM never ran at the same moment.
 */
final class Sampler {

  private final AtomicInteger most = new AtomicInteger();
  private final AtomicBoolean running = new AtomicBoolean(true);

  static Sampler start(DaemonExtension daemons, String vm) {
    Sampler s = new Sampler();
    Thread t = new Thread(() -> {
      while (s.running.get()) {
        try {
          int n = RelocationIT.qemusNamed(vm).size();
          s.most.accumulateAndGet(n, Math::max);
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          // a process that ended while /proc was read: the next round reads again
        }
      }
    }, "qemu-sampler-" + vm);
    t.setDaemon(true);
    t.start();
    daemons.closeAfter(() -> s.running.set(false));
    return s;
  }

  int most() {
    return most.get();
  }
}
