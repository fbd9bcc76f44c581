import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HealthCheckRegistry, MetricsService, SERVICE_CONFIG, SERVICE_NAME } from '@scholarpay/platform';
import type { BaseServiceConfig } from '@scholarpay/platform';
import { CompressionTypes, Kafka, Partitioners, Producer } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BrokerProbe } from './broker-probe';
import { KAFKA } from './kafka-client';
import { outboxChannel } from './outbox.publisher';

interface OutboxRow {
  seq: string;
  topic: string;
  message_key: string;
  envelope: unknown;
  created_at: Date;
}

const BATCH_SIZE = 500;
/**
 * Bytes of event values per Kafka request. A broker refuses a record batch over its
 * message.max.bytes (1 MiB by default, in Kafka and in our broker), and the relay would then retry
 * the same rows forever: every event of the service would stop behind them.
 */
export const MAX_REQUEST_VALUE_BYTES = 512 * 1024;
const IDLE_POLL_MS = 2000;
/**
 * Woken by a commit, the relay waits this long before reading: transactions committing together
 * (a payout run commits dozens a second) then go out in one read, one Kafka request and one update
 * instead of one cycle each, for a few milliseconds of event latency.
 */
const GATHER_MS = 15;
const MAX_BACKOFF_MS = 10000;
/** How often the relay deletes published events older than OUTBOX_RETENTION_DAYS, and how many per statement. */
const PURGE_INTERVAL_MS = 3600_000;
const PURGE_CHUNK = 5000;

/**
 * Publishes committed outbox rows to Kafka in insertion order, with the idempotent producer, and
 * marks them sent. One relay per service schema is active at a time (a Postgres advisory lock), so
 * order per key holds even with several instances. It sleeps on LISTEN/NOTIFY when idle, with a
 * slow poll as a safety net. A crash between send and mark re-sends rows: consumers de-duplicate by
 * event id (at-least-once delivery, exactly-once effect).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private producer: Producer | null = null;
  private listener: Client | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** A commit was notified while the relay was busy publishing: the next sleep must not wait for another. */
  private notifiedWhileBusy = false;
  private hasLock = false;
  private readonly schema: string;
  private readonly published;
  private readonly lag;
  private readonly purged;
  private nextPurgeAt = 0;
  private readonly brokerProbe: BrokerProbe;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: BaseServiceConfig,
    @Inject(SERVICE_NAME) private readonly service: string,
    metrics: MetricsService,
    health: HealthCheckRegistry,
  ) {
    this.schema = (dataSource.options as { schema?: string }).schema ?? 'public';
    this.published = metrics.counter('outbox_events_published_total', 'Events published from the outbox', ['topic']);
    this.lag = metrics.histogram('outbox_publish_lag_seconds', 'Time from outbox insert to publish', [], [0.01, 0.05, 0.1, 0.5, 1, 5, 30]);
    this.purged = metrics.counter('outbox_events_purged_total', 'Published events deleted from the outbox after the retention period', []);
    this.brokerProbe = new BrokerProbe(kafka);
    health.register('kafka', async () => {
      await this.brokerProbe.check();
      if (!this.producer) throw new Error('the outbox producer is not connected');
    });
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    // A relay stuck reconnecting to Kafka must not hold the process: unsent rows stay in the outbox.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loop, new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
    clearTimeout(timer);
    await this.producer?.disconnect().catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
    await this.brokerProbe.close();
  }

  /** Resolves when every committed outbox row has been published (for tests and graceful shutdown). */
  async drained(timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [{ count }] = await this.dataSource.query(
        `SELECT count(*)::int AS count FROM "${this.schema}"."outbox_events" WHERE sent_at IS NULL`,
      );
      if (count === 0) return;
      if (Date.now() > deadline) throw new Error(`outbox still has ${count} unsent events after ${timeoutMs} ms`);
      this.wake?.();
      await sleep(50);
    }
  }

  private async run(): Promise<void> {
    let backoff = 200;
    while (this.running) {
      try {
        await this.connect();
        if (!this.hasLock) {
          await this.sleepUntilWoken(IDLE_POLL_MS);
          continue;
        }
        const { more } = await this.publishBatch();
        backoff = 200;
        if (!more && Date.now() >= this.nextPurgeAt) await this.purgeIfDue();
        if (!more && (await this.sleepUntilWoken(IDLE_POLL_MS)) === 'notified') await sleep(GATHER_MS);
      } catch (error) {
        this.logger.warn({ err: error, backoffMs: backoff }, 'outbox relay failed; retrying');
        await this.resetConnections();
        await sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  private async connect(): Promise<void> {
    if (!this.listener) {
      const listener = new Client({ connectionString: this.config.DATABASE_URL, application_name: `${this.service}-outbox-relay` });
      listener.on('error', () => void this.resetConnections());
      await listener.connect();
      listener.on('notification', () => {
        if (this.wake) this.wake();
        else this.notifiedWhileBusy = true;
      });
      await listener.query(`LISTEN "${outboxChannel(this.schema)}"`);
      this.listener = listener;
    }
    if (!this.hasLock) {
      // A session lock on the listener connection: it is released if this process dies.
      const [{ locked }] = (
        await this.listener.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [`outbox-relay:${this.schema}`])
      ).rows as { locked: boolean }[];
      this.hasLock = locked;
    }
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: true,
        createPartitioner: Partitioners.DefaultPartitioner,
        // The idempotent producer must keep retrying a send (kafkajs refuses weaker settings); the relay
        // loop is what gives up on a broken connection and starts over.
        retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5000 },
      });
      await producer.connect();
      this.producer = producer;
    }
  }

  /** Publishes the oldest unsent rows, up to BATCH_SIZE and MAX_REQUEST_VALUE_BYTES; `more` when rows were left for the next pass. */
  private async publishBatch(): Promise<{ more: boolean }> {
    // Rows committed before this read are in it, so their notifications need no further pass.
    this.notifiedWhileBusy = false;
    const read: OutboxRow[] = await this.dataSource.query(
      `SELECT seq, topic, message_key, envelope, created_at FROM "${this.schema}"."outbox_events"
        WHERE sent_at IS NULL ORDER BY seq LIMIT $1`,
      [BATCH_SIZE],
    );
    if (read.length === 0) return { more: false };
    const rows = takeWithinBytes(read.map((row) => ({ row, value: JSON.stringify(row.envelope) })), MAX_REQUEST_VALUE_BYTES);
    if (rows.length === 1 && Buffer.byteLength(rows[0].value) > MAX_REQUEST_VALUE_BYTES) {
      this.logger.error({ seq: rows[0].row.seq, topic: rows[0].row.topic, bytes: Buffer.byteLength(rows[0].value) }, 'an outbox event is larger than a Kafka request may carry');
    }
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    for (const { row, value } of rows) {
      const messages = byTopic.get(row.topic) ?? [];
      const envelope = row.envelope as { type: string; id: string };
      messages.push({
        key: row.message_key,
        value,
        headers: { 'content-type': 'application/cloudevents+json', 'ce-type': envelope.type, 'ce-id': envelope.id },
      });
      byTopic.set(row.topic, messages);
    }
    await this.producer!.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages })),
    });
    await this.dataSource.query(
      `UPDATE "${this.schema}"."outbox_events" SET sent_at = now() WHERE seq = ANY($1::bigint[])`,
      [rows.map(({ row }) => row.seq)],
    );
    const now = Date.now();
    for (const { row } of rows) {
      this.published.inc({ topic: row.topic });
      this.lag.observe((now - new Date(row.created_at).getTime()) / 1000);
    }
    return { more: rows.length < read.length || read.length === BATCH_SIZE };
  }

  /**
   * Deletes events published more than OUTBOX_RETENTION_DAYS ago, in chunks so that no statement
   * holds the table long; never an unsent one. Returns how many went.
   */
  async purgePublished(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const [, count] = (await this.dataSource.query(
        `DELETE FROM "${this.schema}"."outbox_events" WHERE seq IN (
           SELECT seq FROM "${this.schema}"."outbox_events"
            WHERE sent_at IS NOT NULL AND sent_at < now() - make_interval(days => $1)
            ORDER BY seq LIMIT $2)`,
        [this.config.OUTBOX_RETENTION_DAYS, PURGE_CHUNK],
      )) as [unknown, number];
      deleted += count;
      if (count < PURGE_CHUNK) break;
    }
    if (deleted > 0) this.purged.inc(deleted);
    return deleted;
  }

  /** Once an hour, by the relay holding the lock; a failed purge is retried at the next one and never stops publishing. */
  private async purgeIfDue(): Promise<void> {
    this.nextPurgeAt = Date.now() + PURGE_INTERVAL_MS;
    try {
      const deleted = await this.purgePublished();
      if (deleted > 0) this.logger.log({ deleted, retentionDays: this.config.OUTBOX_RETENTION_DAYS }, 'deleted published events past the outbox retention');
    } catch (error) {
      this.logger.warn({ err: error }, 'outbox purge failed; the next one retries');
    }
  }

  private sleepUntilWoken(ms: number): Promise<'notified' | 'timeout'> {
    if (this.notifiedWhileBusy) {
      this.notifiedWhileBusy = false;
      return Promise.resolve('notified');
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => done('timeout'), ms);
      const self = this;
      function done(how: 'notified' | 'timeout') {
        clearTimeout(timer);
        self.wake = null;
        resolve(how);
      }
      this.wake = () => done('notified');
    });
  }

  private async resetConnections(): Promise<void> {
    this.hasLock = false;
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect().catch(() => undefined);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The leading items whose values fit in `maxBytes` together, in order; always at least the first,
 * so that one event too large for any request is tried (and its failure logged) rather than skipped.
 */
export function takeWithinBytes<T extends { value: string }>(items: readonly T[], maxBytes: number): T[] {
  const taken: T[] = [];
  let bytes = 0;
  for (const item of items) {
    bytes += Buffer.byteLength(item.value);
    if (taken.length > 0 && bytes > maxBytes) break;
    taken.push(item);
  }
  return taken;
}
