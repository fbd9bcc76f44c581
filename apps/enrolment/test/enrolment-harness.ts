import type { INestApplication } from '@nestjs/common';
import type { EventEnvelope } from '@scholarpay/contracts';
import { Topics } from '@scholarpay/contracts';
import { OutboxRelay } from '@scholarpay/messaging';
import {
  createTestDatabase,
  KafkaTestBroker,
  serviceTestEnv,
  startTestBroker,
  testRedisUrl,
  waitFor,
} from '@scholarpay/testing';
import Redis from 'ioredis';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startEnrolmentService } from '../src/enrolment.app';

export interface ConsumedEvent {
  key: string | null;
  envelope: EventEnvelope<Record<string, unknown>>;
}

/**
 * One enrolment service in this process against its own database, the embedded Kafka-protocol
 * broker and a Redis database of its own, plus a real kafkajs consumer on the student topic that
 * collects every event the service publishes.
 */
export class EnrolmentHarness {
  readonly events: ConsumedEvent[] = [];
  app!: INestApplication;
  url!: string;
  private consumer!: Consumer;
  private sql!: Client;

  private constructor(
    readonly databaseUrl: string,
    readonly broker: KafkaTestBroker,
    readonly redisUrl: string,
    private readonly extraEnv: Record<string, string>,
  ) {}

  static async start(
    name: string,
    redisDb: number,
    extraEnv: Record<string, string> = {},
  ): Promise<EnrolmentHarness> {
    const databaseUrl = await createTestDatabase(`enrolment_${name}`);
    const broker = await startTestBroker();
    const redisUrl = testRedisUrl(redisDb);
    // Test files share Redis databases: each clears only its own queue's keys.
    const queuePrefix = extraEnv.IMPORT_QUEUE_PREFIX ?? `enrolment-test-${name}`;
    const redis = new Redis(redisUrl);
    for (let cursor = '0'; ;) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
    redis.disconnect();
    const harness = new EnrolmentHarness(databaseUrl, broker, redisUrl, {
      IMPORT_QUEUE_PREFIX: queuePrefix,
      ...extraEnv,
    });
    await harness.startService();
    harness.sql = new Client({ connectionString: databaseUrl });
    await harness.sql.connect();
    await harness.sql.query('SET search_path TO enrolment');
    const kafka = new Kafka({
      clientId: `enrolment-test-${name}`,
      brokers: [broker.address],
      logLevel: logLevel.NOTHING,
    });
    harness.consumer = kafka.consumer({ groupId: `enrolment-test-${randomUUID()}` });
    await harness.consumer.connect();
    await harness.consumer.subscribe({ topic: Topics.studentEvents, fromBeginning: true });
    await harness.consumer.run({
      eachMessage: async ({ message }) => {
        harness.events.push({
          key: message.key?.toString() ?? null,
          envelope: JSON.parse(message.value!.toString()) as EventEnvelope<Record<string, unknown>>,
        });
      },
    });
    return harness;
  }

  async startService(): Promise<void> {
    const running = await startEnrolmentService(
      serviceTestEnv({
        databaseUrl: this.databaseUrl,
        kafkaBrokers: this.broker.address,
        redisUrl: this.redisUrl,
        extra: this.extraEnv,
      }),
      { port: 0 },
    );
    this.app = running.app;
    this.url = running.url;
  }

  async stopService(): Promise<void> {
    await this.app.close();
  }

  /** Rows of the service's schema, for checks the API does not expose (nothing half-written). */
  async query<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await this.sql.query(text, values)).rows as T[];
  }

  /** Waits until everything committed has been published and consumed. */
  async settle(): Promise<void> {
    await this.app.get(OutboxRelay).drained();
    const [{ count }] = await this.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM outbox_events',
    );
    await waitFor(() => this.events.length >= count, {
      timeoutMs: 30000,
      description: `${count} events on ${Topics.studentEvents}`,
    });
  }

  eventsAbout(studentId: string): ConsumedEvent[] {
    return this.events.filter((event) => event.envelope.subject === studentId);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.app?.close().catch(() => undefined);
    await this.sql?.end().catch(() => undefined);
    await this.broker.stop();
  }
}
