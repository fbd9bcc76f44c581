/** While Redis stays away, each connection says so at most this often. */
export const REDIS_ERROR_LOG_INTERVAL_MS = 10_000;

interface WarnLogger {
  warn(message: unknown, ...rest: unknown[]): void;
}

/**
 * Decides which of a connection's repeated errors are logged: the first of a kind, then one per
 * interval carrying how many were left out since. Pure, so it is tested without a clock or Redis.
 */
export class ErrorLogThrottle {
  private readonly kinds = new Map<string, { loggedAt: number; suppressed: number }>();

  constructor(private readonly intervalMs = REDIS_ERROR_LOG_INTERVAL_MS) {}

  /** `null` to leave this one out; otherwise how many of its kind were left out before it. */
  admit(kind: string, now: number): { suppressed: number } | null {
    const seen = this.kinds.get(kind);
    if (seen && now - seen.loggedAt < this.intervalMs) {
      seen.suppressed += 1;
      return null;
    }
    this.kinds.set(kind, { loggedAt: now, suppressed: 0 });
    return { suppressed: seen?.suppressed ?? 0 };
  }
}

/**
 * Logs the 'error' events of an ioredis client or a BullMQ queue or worker through the service's
 * JSON logger, rate-limited. Without a listener, ioredis prints "[ioredis] Unhandled error event"
 * and BullMQ a stack trace to stderr, several times a second, for as long as Redis is away.
 */
export function logRedisErrors(
  emitter: { on(event: 'error', listener: (error: Error) => void): unknown },
  {
    connection,
    logger,
    message = 'Redis connection problem',
    intervalMs,
  }: { connection: string; logger: WarnLogger; message?: string; intervalMs?: number },
): void {
  const throttle = new ErrorLogThrottle(intervalMs);
  emitter.on('error', (error: Error) => {
    const code = (error as { code?: unknown }).code;
    const admitted = throttle.admit(typeof code === 'string' ? code : error.message, Date.now());
    if (!admitted) return;
    logger.warn(
      {
        connection,
        error: error.message,
        ...(typeof code === 'string' ? { code } : {}),
        ...(admitted.suppressed > 0 ? { suppressed: admitted.suppressed } : {}),
      },
      message,
    );
  });
}
