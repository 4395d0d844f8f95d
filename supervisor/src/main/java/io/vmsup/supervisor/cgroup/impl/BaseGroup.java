package io.vmsup.supervisor.cgroup.impl;

import io.vmsup.config.Resources;
import io.vmsup.supervisor.cgroup.CgroupUsage;
import io.vmsup.supervisor.cgroup.VmCgroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/** What v1 and v2 share: the join wrapper, the kill loop, retirement. Methods are serialised per VM cgroup. */
abstract class BaseGroup implements VmCgroup {

  static final Logger LOG = Logger.getLogger("io.vmsup.supervisor.cgroup");
  private static final String SH = "/bin/sh";
  // joins every cgroup.procs file given before "--" with the shell's own pid, then execs the rest in place (same
  // pid): QEMU is inside its cgroup before its first instruction; a refused join ends here with 125, QEMU never runs
  private static final String JOIN = "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 125; shift; done;"
      + " shift; exec \"$@\"";
  private static final int KILL_ROUNDS = 200;

  private final String vm;
  private CgroupUsage last = CgroupUsage.unknown();
  private boolean retired;

  BaseGroup(String vm) {
    this.vm = vm;
  }

  @Override
  public String vm() {
    return vm;
  }

  /** The directory whose {@code cgroup.procs} lists the tasks (the memory one on v1). */
  abstract Path procsDir();

  abstract void writeLimits(Resources limits) throws IOException;

  abstract CgroupUsage read();

  /** v2's {@code cgroup.kill}: true when it did the work. */
  boolean killByKernel() throws IOException {
    return false;
  }

  @Override
  public synchronized void create(Resources limits) throws IOException {
    for (Path d : dirs()) {
      if (Files.isDirectory(d)) {
        int killed = killAll();
        if (killed > 0) {
          LOG.warning(vm + ": killed " + killed + " task(s) left in its cgroup " + d);
        }
        CgFiles.rmdir(d);
      }
    }
    for (Path d : dirs()) {
      try {
        Files.createDirectories(d);
      } catch (IOException e) {
        throw new IOException("cannot make the VM's cgroup " + d + ": " + CgFiles.reason(e), e);
      }
    }
    retired = false;
    last = CgroupUsage.unknown();
    writeLimits(limits);
  }

  @Override
  public List<String> joinPrefix() {
    List<String> out = new ArrayList<>(List.of(SH, "-c", JOIN, "vmsup-cgroup-join"));
    dirs().forEach(d -> out.add(d.resolve("cgroup.procs").toString()));
    out.add("--");
    return out;
  }

  @Override
  public synchronized Set<Long> pids() throws IOException {
    return CgFiles.procs(procsDir());
  }

  @Override
  public synchronized int killAll() throws IOException {
    Set<Long> seen = new LinkedHashSet<>(CgFiles.procs(procsDir()));
    if (seen.isEmpty()) {
      return 0;
    }
    if (killByKernel()) {
      for (int round = 0; round < KILL_ROUNDS && !CgFiles.procs(procsDir()).isEmpty(); round++) {
        pause();
      }
      return seen.size();
    }
    boolean frozen = freeze(true);
    try {
      for (int round = 0; round < KILL_ROUNDS; round++) {
        Set<Long> now = CgFiles.procs(procsDir());
        if (now.isEmpty()) {
          return seen.size();
        }
        seen.addAll(now);
        // frozen, nothing in the cgroup can fork between the read and the signals
        now.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        if (frozen) {
          freeze(false);
          frozen = false;
        }
        pause();
        frozen = freeze(true);
      }
      throw new IOException("tasks survive SIGKILL in " + procsDir() + ": " + CgFiles.procs(procsDir()));
    } finally {
      if (frozen) {
        freeze(false);
      }
    }
  }

  private static void pause() throws IOException {
    try {
      Thread.sleep(5); // a worker thread: the killed tasks leave the cgroup as the kernel reaps them
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while killing", e);
    }
  }

  @Override
  public synchronized CgroupUsage usage() {
    if (!retired) {
      CgroupUsage now = read();
      if (now.oomKills().isPresent() || now.cpuSeconds().isPresent()) {
        last = now;
      }
    }
    return last;
  }

  @Override
  public synchronized CgroupUsage retire() {
    CgroupUsage fin = usage();
    retired = true;
    try {
      int left = killAll();
      if (left > 0) {
        LOG.warning(vm + ": killed " + left + " task(s) left in its cgroup after QEMU exited");
      }
      for (Path d : dirs()) {
        CgFiles.rmdir(d);
      }
    } catch (IOException e) {
      LOG.warning(vm + ": cannot remove its cgroup: " + e.getMessage());
    }
    return fin;
  }

  @Override
  public String toString() {
    return dirs().toString();
  }
}
