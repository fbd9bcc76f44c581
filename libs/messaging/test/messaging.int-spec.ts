import { Controller, Module, Post, Body, HttpCode } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { Public } from '@scholarpay/auth';
import { buildEnvelope, DeadLetterHeaders, deadLetterTopic, EventTypes, Topics } from '@scholarpay/contracts';
import {
  consumedMessageFrom,
  InboxProcessor,
  MessagingModule,
  messagingEntities,
  messagingMigrations,
  OutboxPublisher,
  OutboxRelay,
} from '@scholarpay/messaging';
import { loadConfig, baseServiceConfigSchema, PlatformModule, RunningServiceApp, startService } from '@scholarpay/platform';
import { createTestDatabase, KafkaTestBroker, serviceTestEnv, startTestBroker, testRedisUrl, waitFor } from '@scholarpay/testing';
import { buildDataSourceOptions } from '@scholarpay/database';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';

class AppliedTable1763900000001 implements MigrationInterface {
  name = 'AppliedTable1763900000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE applied (student_id uuid PRIMARY KEY, times int NOT NULL)`);
    await queryRunner.query(`CREATE TABLE notes (student_id uuid PRIMARY KEY)`);
  }
  async down(): Promise<void> {}
}

const database = { schema: 'msgtest', entities: [...messagingEntities], migrations: [...messagingMigrations, AppliedTable1763900000001] };

function student(studentId: string) {
  return {
    studentId,
    version: 1,
    nationalId: 'ML-1',
    firstName: 'Sékou',
    lastName: 'Traoré',
    sex: 'M' as const,
    dateOfBirth: '2000-01-01',
    regionOfOrigin: 'Gao',
    schoolId: randomUUID(),
    schoolCode: 'GAO',
    programmeOfStudy: 'nursing',
    intakeYear: 2014,
    phone: '+22376000001',
    operator: 'orange' as const,
    status: 'enrolled' as const,
    enrolledAt: new Date().toISOString(),
  };
}

/** Writes a note and announces it, optionally failing after the outbox write to prove the rollback. */
@Public()
@Controller('notes')
class NotesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxPublisher,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@Body() body: { studentId: string; fail?: boolean }): Promise<{ ok: true }> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('INSERT INTO notes (student_id) VALUES ($1)', [body.studentId]);
      await this.outbox.publish(manager, { type: EventTypes.studentRegistered, subject: body.studentId, data: { student: student(body.studentId) } });
      if (body.fail) throw new Error('rolled back on purpose');
    });
    return { ok: true };
  }
}

const failuresBeforeSuccess = new Map<string, number>();
/** Students whose handler meets a database that is restarting (SQLSTATE 57P01) this many more times. */
const outagesBeforeSuccess = new Map<string, number>();

@Controller()
class StudentConsumer {
  constructor(private readonly inbox: InboxProcessor) {}

  @EventPattern(Topics.studentEvents)
  async onStudentEvent(@Payload() _payload: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.inbox.process(
      'msgtest.students',
      consumedMessageFrom(context),
      {
        [EventTypes.studentRegistered]: async (event, manager) => {
          const id = event.data.student.studentId as string;
          const remaining = failuresBeforeSuccess.get(id) ?? 0;
          await manager.query(
            `INSERT INTO applied (student_id, times) VALUES ($1, 1) ON CONFLICT (student_id) DO UPDATE SET times = applied.times + 1`,
            [id],
          );
          if (remaining > 0) {
            failuresBeforeSuccess.set(id, remaining - 1);
            throw new Error('transient failure');
          }
          const outages = outagesBeforeSuccess.get(id) ?? 0;
          if (outages > 0) {
            outagesBeforeSuccess.set(id, outages - 1);
            throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
          }
        },
      },
      { baseDelayMs: 20, maxAttempts: 4 },
    );
  }
}

describe('messaging: outbox relay, inbox consumer and dead letters over the Kafka protocol', () => {
  let broker: KafkaTestBroker;
  let service: RunningServiceApp;
  let dataSource: DataSource;
  let kafka: Kafka;
  let env: Record<string, string>;

  async function startApp(): Promise<RunningServiceApp> {
    const config = loadConfig('msgtest', baseServiceConfigSchema, env);
    @Module({
      imports: [
        PlatformModule.forService({ service: 'msgtest', config, database }),
        MessagingModule.forService({ service: 'msgtest', brokers: config.KAFKA_BROKERS, logLevel: 'silent' }),
      ],
      controllers: [NotesController, StudentConsumer],
    })
    class TestModule {}
    return startService({ service: 'msgtest', title: 't', description: 't', port: 0, config, database, rootModule: TestModule, kafkaGroupId: 'msgtest' });
  }

  beforeAll(async () => {
    broker = await startTestBroker();
    env = serviceTestEnv({ databaseUrl: await createTestDatabase('messaging'), kafkaBrokers: broker.address, redisUrl: testRedisUrl(1) });
    service = await startApp();
    dataSource = service.app.get(DataSource);
    kafka = new Kafka({ clientId: 'msgtest-observer', brokers: [broker.address], logLevel: logLevel.NOTHING });
  });

  afterAll(async () => {
    await service?.app.close();
    await broker?.stop();
  });

  async function post(body: object): Promise<number> {
    const response = await fetch(`${service.url}/api/v1/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return response.status;
  }

  /** Whether any message keyed `key` is on the student topic's dead-letter topic. */
  async function deadLettered(key: string): Promise<boolean> {
    const topic = deadLetterTopic(Topics.studentEvents);
    const admin = kafka.admin();
    await admin.connect();
    const offsets = (await admin.listTopics()).includes(topic) ? await admin.fetchTopicOffsets(topic) : [];
    await admin.disconnect();
    const total = offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
    if (total === 0) return false;
    const keys: string[] = [];
    const reader = kafka.consumer({ groupId: `dlq-keys-${randomUUID()}` });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void keys.push(String(message.key)) });
    await waitFor(() => keys.length >= total, { description: 'every dead letter read' });
    await reader.disconnect();
    return keys.includes(key);
  }

  async function appliedTimes(studentId: string): Promise<number | undefined> {
    const rows: { times: number }[] = await dataSource.query('SELECT times FROM applied WHERE student_id = $1', [studentId]);
    return rows[0]?.times;
  }

  it('publishes a committed change once, keyed by the subject, and the consumer applies it once', async () => {
    const studentId = randomUUID();
    expect(await post({ studentId })).toBe(201);
    await service.app.get(OutboxRelay).drained();
    await waitFor(() => appliedTimes(studentId), { description: 'the event to be applied' });
    const [row] = await dataSource.query('SELECT message_key, sent_at FROM outbox_events WHERE message_key = $1', [studentId]);
    expect(row.sent_at).not.toBeNull();
    expect(await appliedTimes(studentId)).toBe(1);
  });

  it('publishes nothing for a rolled-back transaction', async () => {
    const rolledBack = randomUUID();
    expect(await post({ studentId: rolledBack, fail: true })).toBe(500);
    const committed = randomUUID();
    expect(await post({ studentId: committed })).toBe(201);
    await waitFor(() => appliedTimes(committed), { description: 'the committed event' });
    const outboxRows = await dataSource.query('SELECT 1 FROM outbox_events WHERE message_key = $1', [rolledBack]);
    expect(outboxRows).toHaveLength(0);
    expect(await appliedTimes(rolledBack)).toBeUndefined();
  });

  it('changes nothing when the same event is delivered twice', async () => {
    const studentId = randomUUID();
    const envelope = buildEnvelope({ source: 'test', type: EventTypes.studentRegistered, subject: studentId, data: { student: student(studentId) } });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: Topics.studentEvents, messages: [{ key: studentId, value: JSON.stringify(envelope) }] });
    await producer.send({ topic: Topics.studentEvents, messages: [{ key: studentId, value: JSON.stringify(envelope) }] });
    await producer.disconnect();
    await waitFor(async () => {
      const rows = await dataSource.query(`SELECT count(*)::int AS n FROM inbox_events WHERE event_id = $1`, [envelope.id]);
      return rows[0].n === 1 && (await appliedTimes(studentId)) === 1;
    }, { description: 'the event applied once' });
    // Give the duplicate time to be consumed, then check it changed nothing.
    const marker = randomUUID();
    expect(await post({ studentId: marker })).toBe(201);
    await waitFor(() => appliedTimes(marker), { description: 'a later event, proving the duplicate was consumed' });
    expect(await appliedTimes(studentId)).toBe(1);
  });

  it('retries a failing handler without applying its effects twice', async () => {
    const studentId = randomUUID();
    failuresBeforeSuccess.set(studentId, 2);
    expect(await post({ studentId })).toBe(201);
    // Each failed attempt rolled back its own increment: the row shows the one successful attempt.
    await waitFor(async () => (await appliedTimes(studentId)) === 1, { description: 'the third attempt to succeed' });
    expect(failuresBeforeSuccess.get(studentId)).toBe(0);
  });

  it('never dead-letters an event because the database stayed unavailable: Kafka delivers it again until it applies', async () => {
    const studentId = randomUUID();
    outagesBeforeSuccess.set(studentId, 6); // more than the 4 attempts a delivery makes
    expect(await post({ studentId })).toBe(201);
    await waitFor(async () => (await appliedTimes(studentId)) === 1, { description: 'the event applied after the outage', timeoutMs: 30000 });
    expect(outagesBeforeSuccess.get(studentId)).toBe(0);
    const inbox = await dataSource.query(`SELECT count(*)::int AS count FROM inbox_events WHERE consumer = 'msgtest.students' AND event_id IN (SELECT event_id FROM outbox_events WHERE message_key = $1)`, [studentId]);
    expect(inbox[0].count).toBe(1);
    expect(await deadLettered(studentId)).toBe(false);
  });

  it('sends an invalid event and a non-JSON message to the dead-letter topic with the reason', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const badId = randomUUID();
    const invalid = buildEnvelope({ source: 'test', type: EventTypes.studentRegistered, subject: badId, data: { student: { ...student(badId), intakeYear: 'soon' } } });
    await producer.send({ topic: Topics.studentEvents, messages: [{ key: badId, value: JSON.stringify(invalid) }, { key: 'garbage', value: 'not json at all' }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}` });
    const reasons: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetterTopic(Topics.studentEvents), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        reasons.push(String(message.headers?.[DeadLetterHeaders.reason]));
      },
    });
    await waitFor(() => reasons.length >= 2, { description: 'two dead letters' });
    await consumer.disconnect();
    expect(reasons).toEqual(
      expect.arrayContaining([expect.stringContaining('student.intakeYear'), 'the message value is not JSON']),
    );
    expect(await appliedTimes(badId)).toBeUndefined();
  });

  it('publishes a backlog larger than one Kafka request may carry, in several requests, in order', async () => {
    // 600 events of about 2.2 KB: 1.3 MB, more than the broker takes in one record batch (1 MiB).
    const topic = `msgtest.relay-size-${randomUUID()}`;
    const ids = Array.from({ length: 600 }, () => randomUUID());
    await dataSource.query(
      `INSERT INTO outbox_events (event_id, topic, message_key, event_type, envelope)
       SELECT id, $1, 'backlog', 'test.padded', jsonb_build_object('id', id, 'type', 'test.padded', 'n', n, 'padding', repeat('x', 2200))
         FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [topic, ids],
    );
    await waitFor(
      async () => (await dataSource.query(`SELECT count(*)::int AS count FROM outbox_events WHERE topic = $1 AND sent_at IS NULL`, [topic]))[0].count === 0,
      { description: 'the whole backlog published', timeoutMs: 30000 },
    );
    const received: number[] = [];
    const reader = kafka.consumer({ groupId: `backlog-${randomUUID()}` });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void received.push(JSON.parse(message.value!.toString()).n) });
    await waitFor(() => received.length >= 600, { description: 'the backlog read back' });
    await reader.disconnect();
    expect(received).toEqual(Array.from({ length: 600 }, (_, index) => index + 1));
  });

  it('deletes published events once they are older than the retention, never an unsent one', async () => {
    const topic = `msgtest.retention-${randomUUID()}`;
    const [oldSent, recentSent, oldUnsent] = [randomUUID(), randomUUID(), randomUUID()];
    await dataSource.query(
      `INSERT INTO outbox_events (event_id, topic, message_key, event_type, envelope, created_at, sent_at) VALUES
         ($2, $1, 'old-sent', 'test.retention', jsonb_build_object('id', $2::uuid, 'type', 'test.retention'), now() - interval '9 days', now() - interval '8 days'),
         ($3, $1, 'recent-sent', 'test.retention', jsonb_build_object('id', $3::uuid, 'type', 'test.retention'), now() - interval '6 days', now() - interval '6 days')`,
      [topic, oldSent, recentSent],
    );
    // An old row the relay has not published yet (Kafka was down for days): it must stay.
    await dataSource.query(
      `INSERT INTO outbox_events (event_id, topic, message_key, event_type, envelope, created_at) VALUES ($2, $1, 'old-unsent', 'test.retention', jsonb_build_object('id', $2::uuid, 'type', 'test.retention'), now() - interval '30 days')`,
      [topic, oldUnsent],
    );
    const relay = service.app.get(OutboxRelay);
    expect(await relay.purgePublished()).toBe(1);
    const left: { message_key: string }[] = await dataSource.query(`SELECT message_key FROM outbox_events WHERE topic = $1 ORDER BY message_key`, [topic]);
    expect(left.map((row) => row.message_key)).toEqual(['old-unsent', 'recent-sent']);
  });

  it('publishes rows committed while the relay was down once it is back', async () => {
    await service.app.close();
    const studentId = randomUUID();
    // Simulate a change committed by an instance whose relay never ran.
    const writer = new DataSource(buildDataSourceOptions({ ...database, url: env.DATABASE_URL }));
    await writer.initialize();
    await writer.transaction(async (manager) => {
      const publisher = new OutboxPublisher('msgtest');
      await publisher.publish(manager, { type: EventTypes.studentRegistered, subject: studentId, data: { student: student(studentId) } });
    });
    await writer.destroy();
    service = await startApp();
    dataSource = service.app.get(DataSource);
    await waitFor(() => appliedTimes(studentId), { description: 'the event published after restart' });
    expect(await appliedTimes(studentId)).toBe(1);
  });
});
