package io.vmsup.qmp.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Short ids, never one that a waiting command has, never one freed less than eight ids ago. */
class IdPoolTest {

  @Test
  void sequentialCommandsKeepOneDigitIdsForever() {
    IdPool pool = new IdPool();
    for (int i = 0; i < 100_000; i++) {
      long id = pool.take();
      assertThat(id).isBetween(1L, 9L);
      pool.release(id);
    }
  }

  @Test
  void aFreedIdWaitsUntilEightOthersWereFreedBehindIt() {
    IdPool pool = new IdPool();
    for (int i = 1; i <= 20; i++) {
      assertThat(pool.take()).isEqualTo(i);
    }
    pool.release(5);
    for (long other : new long[] {1, 2, 3, 4, 6, 7, 8}) {
      pool.release(other);
      assertThat(pool.take()).as("5 and the ids freed after it wait").isGreaterThan(20);
    }
    pool.release(9);
    assertThat(pool.take()).as("the eighth id freed behind it lets 5 go, smallest first").isEqualTo(5);
  }

  @Test
  void afterABurstTheSmallestFreeIdsComeFirst() {
    IdPool pool = new IdPool();
    List<Long> burst = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      burst.add(pool.take());
    }
    burst.forEach(pool::release);
    for (int i = 0; i < 1_000; i++) {
      long id = pool.take();
      assertThat(id).isBetween(1L, 9L);
      pool.release(id);
    }
  }

  @Test
  void neverGivesAnIdInUseOrRecentlyFreed() {
    Random random = new Random(15);
    IdPool pool = new IdPool();
    Set<Long> inUse = new HashSet<>();
    List<Long> inUseList = new ArrayList<>();
    ArrayDeque<Long> recentlyFreed = new ArrayDeque<>();
    for (int step = 0; step < 50_000; step++) {
      if (inUseList.isEmpty() || random.nextInt(100) < 52 && inUseList.size() < 300) {
        long id = pool.take();
        assertThat(id).isPositive();
        assertThat(inUse.add(id)).as("id %d given twice", id).isTrue();
        assertThat(recentlyFreed).doesNotContain(id);
        inUseList.add(id);
      } else {
        long id = inUseList.remove(random.nextInt(inUseList.size()));
        inUse.remove(id);
        pool.release(id);
        recentlyFreed.addLast(id);
        if (recentlyFreed.size() > IdPool.QUARANTINE) {
          recentlyFreed.removeFirst();
        }
      }
    }
  }
}
