import { startBroker } from '@scholarpay/kafka-broker';
import { TEST_JWT_SECRET } from './test-tokens';

export type KafkaTestBroker = Awaited<ReturnType<typeof startBroker>>;

/** The embedded Kafka-protocol broker on a free port, in memory, for one test file. */
export async function startTestBroker(options: { dataDir?: string; defaultPartitions?: number } = {}): Promise<KafkaTestBroker> {
  return startBroker({ port: 0, host: '127.0.0.1', defaultPartitions: options.defaultPartitions ?? 3, ...options });
}

/** Redis databases 1..15 are handed out per test file (0 is for `npm start`). */
export function testRedisUrl(db: number): string {
  if (db < 1 || db > 15) throw new Error('test Redis db must be 1..15');
  return `redis://127.0.0.1:6379/${db}`;
}

/** Environment for a service under test: its own database, the test broker, the test secret, quiet logs. */
export function serviceTestEnv(input: {
  databaseUrl: string;
  kafkaBrokers: string;
  redisUrl?: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: input.databaseUrl,
    KAFKA_BROKERS: input.kafkaBrokers,
    REDIS_URL: input.redisUrl ?? 'redis://127.0.0.1:6379/1',
    JWT_SECRET: TEST_JWT_SECRET,
    PORT: '0',
    ...input.extra,
  };
}
