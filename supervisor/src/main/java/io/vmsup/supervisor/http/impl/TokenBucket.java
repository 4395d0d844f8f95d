package io.vmsup.supervisor.http.impl;

/** A token bucket on {@link System#nanoTime()}: {@code burst} tokens, refilled at {@code perSecond}. */
final class TokenBucket {

  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;

  TokenBucket(int perSecond, int burst, long now) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token when there is one. */
  boolean take(long now) {
    refill(now);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** True when the bucket is full again (it can be forgotten: a new one would be the same). */
  boolean full(long now) {
    refill(now);
    return tokens >= burst;
  }

  private void refill(long now) {
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
  }
}
