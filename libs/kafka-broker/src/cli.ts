import { startBroker } from './broker';
import { jsonLogger } from './logger';
import { BrokerOptions } from './options';

/**
 * `npm run kafka`: a standalone broker. KAFKA_PORT (default 9092), KAFKA_HOST (default
 * 127.0.0.1), KAFKA_DATA_DIR (default: in memory), KAFKA_DEFAULT_PARTITIONS, KAFKA_LOG_LEVEL, and
 * the others listed in the README.
 * Prints one line `KAFKA_BROKER_LISTENING <host:port>` on stdout once it accepts connections.
 */
function intEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) {
    process.stderr.write(`${name} must be an integer, got "${raw}"\n`);
    process.exit(2);
  }
  return Number(raw);
}

async function main(): Promise<void> {
  const level = (process.env.KAFKA_LOG_LEVEL ?? 'info') as 'debug' | 'info' | 'warn' | 'error';
  const options: BrokerOptions = {
    port: intEnv('KAFKA_PORT') ?? 9092,
    host: process.env.KAFKA_HOST || '127.0.0.1',
    advertisedHost: process.env.KAFKA_ADVERTISED_HOST || undefined,
    dataDir: process.env.KAFKA_DATA_DIR || null,
    defaultPartitions: intEnv('KAFKA_DEFAULT_PARTITIONS'),
    retentionMs: intEnv('KAFKA_RETENTION_MS'),
    retentionBytes: intEnv('KAFKA_RETENTION_BYTES'),
    groupMinSessionTimeoutMs: intEnv('KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS'),
    segmentBytes: intEnv('KAFKA_SEGMENT_BYTES'),
    maxMessageBytes: intEnv('KAFKA_MAX_MESSAGE_BYTES'),
    syncOffsetCommits: process.env.KAFKA_SYNC_OFFSET_COMMITS === 'true',
    logger: jsonLogger(level),
  };
  const broker = await startBroker(options);
  process.stdout.write(`KAFKA_BROKER_LISTENING ${broker.address}\n`);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    options.logger?.info({ signal }, 'shutting down');
    broker.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`kafka broker failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
