import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { logRedisErrors } from './redis-error-log';

/**
 * The service's shared ioredis connection for commands (health, rate limits). Its errors go to the
 * service's log, rate-limited, and not to stderr as ioredis' "Unhandled error event".
 */
export function createSharedRedis(
  url: string,
  logger: { warn(message: unknown, ...rest: unknown[]): void } = new Logger('Redis'),
): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  logRedisErrors(redis, { connection: 'shared', logger });
  return redis;
}
