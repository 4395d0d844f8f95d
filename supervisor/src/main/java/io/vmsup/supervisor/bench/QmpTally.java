package io.vmsup.supervisor.bench;

import java.lang.management.ManagementFactory;

/**
 * What one client did in one round of {@link BenchQmp}, summed over its blocks: the round-trip samples, the pipelined
 * commands and their wall time, and the CPU time spent while its blocks ran — the whole process's (the JIT compilers
 * and the garbage collector included: only this client works during its block) and its own threads' (vmsup: the
 * connection's event loop; JDK: the thread that runs it and its pipelined writer).
 */
final class QmpTally {

  private final long[] samples;
  private int sampleCount;
  private int commands;
  private long pipelinedCommands;
  private long pipelinedNanos;
  private long processNanos;
  private long threadNanos;
  private long thread;
  private long processAtBegin;
  private long threadAtBegin;

  QmpTally(int sequential) {
    this.samples = new long[sequential];
  }

  /** A block of this client begins; its work runs on the thread {@code threadId}. */
  void begin(long threadId) {
    thread = threadId;
    processAtBegin = QmpRoundFigures.processNanos();
    threadAtBegin = threadCpu(threadId);
  }

  /** The block ended; {@code extraThreadNanos}: CPU of the block's threads that ended in it (their own count). */
  void end(long extraThreadNanos) {
    processNanos += QmpRoundFigures.processNanos() - processAtBegin;
    threadNanos += threadCpu(thread) - threadAtBegin + extraThreadNanos;
  }

  void sequential(long[] blockSamples) {
    System.arraycopy(blockSamples, 0, samples, sampleCount, blockSamples.length);
    sampleCount += blockSamples.length;
    commands += blockSamples.length;
  }

  void pipelined(int n, long wallNanos) {
    pipelinedCommands += n;
    pipelinedNanos += wallNanos;
    commands += n;
  }

  QmpRoundFigures figures() {
    long[] s = java.util.Arrays.copyOf(samples, sampleCount);
    return new QmpRoundFigures(QmpRoundFigures.percentile(s, 0.50), QmpRoundFigures.percentile(s, 0.99),
        pipelinedCommands / (pipelinedNanos / 1e9), processNanos / 1000.0 / commands, threadNanos / 1000.0 / commands);
  }

  static long threadCpu(long threadId) {
    return ManagementFactory.getThreadMXBean().getThreadCpuTime(threadId);
  }
}
