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
