export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Fixed one-second windows: above `requestsPerSecond` in the current second, refuse with the time
 * left until the next window (at least one second, as Retry-After counts whole seconds).
 */
export class RateLimiter {
  private windowStartMs = -1;
  private count = 0;

  take(requestsPerSecond: number, nowMs: number, retryAfterSeconds?: number): RateDecision {
    const windowStart = Math.floor(nowMs / 1000) * 1000;
    if (windowStart !== this.windowStartMs) {
      this.windowStartMs = windowStart;
      this.count = 0;
    }
    if (this.count < requestsPerSecond) {
      this.count += 1;
      return { allowed: true };
    }
    return {
      allowed: false,
      retryAfterSeconds: retryAfterSeconds ?? Math.max(1, Math.ceil((windowStart + 1000 - nowMs) / 1000)),
    };
  }

  reset(): void {
    this.windowStartMs = -1;
    this.count = 0;
  }
}
