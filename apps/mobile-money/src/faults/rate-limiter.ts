export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Fixed one-second windows: above `requestsPerSecond` in the current second, refuse with the time
 * left until the next window (at least one second, as Retry-After counts whole seconds). A bulk
 * request weighs as many requests as it carries items: it is let through while the window has room
 * and then counts in full, so a window overshoots by at most one bulk request.
 */
export class RateLimiter {
  private windowStartMs = -1;
  private count = 0;

  take(requestsPerSecond: number, nowMs: number, retryAfterSeconds?: number, weight = 1): RateDecision {
    const windowStart = Math.floor(nowMs / 1000) * 1000;
    if (windowStart !== this.windowStartMs) {
      this.windowStartMs = windowStart;
      this.count = 0;
    }
    if (this.count < requestsPerSecond) {
      this.count += weight;
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
