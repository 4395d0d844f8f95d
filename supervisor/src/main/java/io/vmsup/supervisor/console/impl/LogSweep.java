package io.vmsup.supervisor.console.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The console's sweep of every serial log, the backstop behind the inotify hint, paced: every log at least once per
 * {@code rounds} rounds, a slice each round (10,000 logs, 300 rounds: 34 a round; fewer logs than rounds: one a round,
 * so each is looked at more often) instead of every log at once every
 * 30 s (10,000 file-system calls within 4 s, each a task of its own, which grew the file-system pool to its 20 threads
 * and let them end again, every 30 s). A slice's sizes are read in one blocking task ({@link #sizes}); only the logs
 * whose size is not what their tail has read are then read. Confined to the console's context, except {@link #sizes}.
 */
final class LogSweep {

  /** {@link #sizes}: no file at the name. */
  static final long MISSING = -1;
  /** {@link #sizes}: a symbolic link at the name (never followed, never read). */
  static final long LINK = -2;
  /** {@link #sizes}: something else than a regular file, or the size could not be read: read it to find out. */
  static final long UNKNOWN = -3;

  private List<String> order = List.of();
  private int at;

  /**
   * The next slice of {@code all}'s VMs: {@code ceil(all / rounds)} of them, in an order taken afresh from
   * {@code all} once the previous one is through (a VM added meanwhile is in the next one; a VM gone is skipped by
   * the caller).
   */
  List<String> next(Collection<String> all, int rounds) {
    if (at >= order.size()) {
      order = List.copyOf(all);
      at = 0;
    }
    int take = (int) Math.min(order.size() - at, Math.max(1, ((long) order.size() + rounds - 1) / rounds));
    List<String> slice = order.subList(at, at + take);
    at += take;
    return slice;
  }

  /** Each log's size, or {@link #MISSING}, {@link #LINK}, {@link #UNKNOWN}. Blocking: call on a worker. */
  static long[] sizes(List<Path> logs) {
    long[] out = new long[logs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = size(logs.get(i));
    }
    return out;
  }

  private static long size(Path log) {
    try {
      BasicFileAttributes a = Files.readAttributes(log, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return a.isSymbolicLink() ? LINK : a.isRegularFile() ? a.size() : UNKNOWN;
    } catch (NoSuchFileException e) {
      return MISSING;
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }

  /** The paths of {@code slice}, for {@link #sizes}. */
  static List<Path> paths(List<String> slice, java.util.function.Function<String, Path> log) {
    List<Path> out = new ArrayList<>(slice.size());
    slice.forEach(vm -> out.add(log.apply(vm)));
    return out;
  }
}
