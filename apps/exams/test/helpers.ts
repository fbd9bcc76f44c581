import type { INestApplication } from '@nestjs/common';
import { buildEnvelope, EventTypes, topicOf, type EventType } from '@scholarpay/contracts';
import { OutboxRelay } from '@scholarpay/messaging';
import type { Role } from '@scholarpay/auth';
import {
  bearer,
  createTestDatabase,
  serviceTestEnv,
  startTestBroker,
  testRedisUrl,
  waitFor,
  type KafkaTestBroker,
} from '@scholarpay/testing';
import Redis from 'ioredis';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startExamsService } from '../src/exams.app';

/** Redis DB 9 is the exams suites'; each suite gets its own BullMQ prefix so parallel suites never share jobs. */
export const EXAMS_TEST_REDIS_DB = 9;

export interface ExamsTestContext {
  app: INestApplication;
  url: string;
  broker: KafkaTestBroker;
  databaseUrl: string;
  db: Client;
  producer: Producer;
  kafka: Kafka;
  queuePrefix: string;
  stop(): Promise<void>;
}

/** Real Postgres, Redis and the embedded Kafka broker; the service started in-process on a free port. */
export async function startExamsForTest(
  name: string,
  extra: Record<string, string> = {},
): Promise<ExamsTestContext> {
  const broker = await startTestBroker();
  const databaseUrl = await createTestDatabase(`exams_${name}`);
  const queuePrefix = `exams-test-${name}-${process.pid}`;
  const { app, url } = await startExamsService(
    serviceTestEnv({
      databaseUrl,
      kafkaBrokers: broker.address,
      redisUrl: testRedisUrl(EXAMS_TEST_REDIS_DB),
      extra: { EXAMS_QUEUE_PREFIX: queuePrefix, ...extra },
    }),
    { port: 0 },
  );
  const db = new Client({ connectionString: databaseUrl, options: '-c search_path=exams' });
  await db.connect();
  const kafka = new Kafka({
    clientId: `exams-test-${name}`,
    brokers: [broker.address],
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({
    allowAutoTopicCreation: true,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return {
    app,
    url,
    broker,
    databaseUrl,
    db,
    producer,
    kafka,
    queuePrefix,
    async stop() {
      await producer.disconnect().catch(() => undefined);
      await app.close();
      await db.end().catch(() => undefined);
      await broker.stop();
      await clearQueueKeys(queuePrefix);
    },
  };
}

async function clearQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(testRedisUrl(EXAMS_TEST_REDIS_DB));
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export const evaluator = () => bearer('evaluator-awa', ['evaluator']);
export const auditor = () => bearer('auditor-moussa', ['auditor']);
export const programmeAdmin = () => bearer('admin-fatou', ['programme_admin']);
export const as = (sub: string, roles: Role[]) => bearer(sub, roles);

/** Publishes a contract-valid event, as the producing service's outbox relay would. */
export async function publish<T extends EventType>(
  context: ExamsTestContext,
  type: T,
  subject: string,
  data: unknown,
  options: { id?: string } = {},
): Promise<string> {
  const envelope = buildEnvelope({ source: '/scholarpay/test', type, subject, data, id: options.id });
  await context.producer.send({
    topic: topicOf(type),
    acks: -1,
    messages: [{ key: subject, value: JSON.stringify(envelope) }],
  });
  return envelope.id;
}

let sequence = 0;

export interface StudentFacts {
  studentId: string;
  nationalId: string;
  schoolCode: string;
  regionOfOrigin: string;
  intakeYear: number;
  version?: number;
}

export function newStudent(overrides: Partial<StudentFacts> = {}): StudentFacts {
  sequence++;
  return {
    studentId: randomUUID(),
    nationalId: `NINA${String(100000 + sequence)}${Math.floor(Math.random() * 1e6)}`,
    schoolCode: 'GAO-ESS',
    regionOfOrigin: 'Gao',
    intakeYear: 2013,
    ...overrides,
  };
}

export function studentSnapshot(student: StudentFacts) {
  return {
    studentId: student.studentId,
    version: student.version ?? 1,
    nationalId: student.nationalId,
    firstName: 'Aminata',
    lastName: 'Maïga',
    sex: 'F',
    dateOfBirth: '1994-03-12',
    regionOfOrigin: student.regionOfOrigin,
    schoolId: '5d1c8d8e-8f6a-4a51-9f0e-7c1a2b3c4d5e',
    schoolCode: student.schoolCode,
    programmeOfStudy: "infirmier d'État",
    intakeYear: student.intakeYear,
    phone: null,
    operator: null,
    status: 'enrolled',
    enrolledAt: '2013-10-01T08:00:00Z',
  };
}

export async function publishStudent(context: ExamsTestContext, student: StudentFacts): Promise<void> {
  const type = (student.version ?? 1) === 1 ? EventTypes.studentRegistered : EventTypes.studentUpdated;
  const data =
    type === EventTypes.studentRegistered
      ? { student: studentSnapshot(student) }
      : {
          student: studentSnapshot(student),
          changes: { schoolCode: { from: 'x', to: student.schoolCode } },
          changedBy: 'school-admin',
        };
  await publish(context, type, student.studentId, data);
}

export const PROGRAMME_ID = '3f0c2a4e-1b2d-4c6e-8a9b-0c1d2e3f4a5b';

export function awardSnapshot(
  studentId: string,
  overrides: { awardId?: string; version?: number; status?: string; awardedAt?: string } = {},
) {
  return {
    awardId: overrides.awardId ?? randomUUID(),
    version: overrides.version ?? 1,
    programmeId: PROGRAMME_ID,
    programmeCode: 'CAPPLUS-GAO-2014',
    studentId,
    monthlyStipend: 25000,
    firstMonth: '2014-10',
    lastMonth: '2015-06',
    status: overrides.status ?? 'active',
    awardedAt: overrides.awardedAt ?? '2014-09-15T10:00:00Z',
  };
}

export async function publishAward(
  context: ExamsTestContext,
  studentId: string,
  overrides: { awardId?: string; version?: number; status?: string; awardedAt?: string } = {},
): Promise<string> {
  const award = awardSnapshot(studentId, overrides);
  await publish(context, EventTypes.scholarshipAwarded, studentId, {
    award,
    reason: 'eligible',
    changedBy: 'programme-admin',
  });
  return award.awardId;
}

export async function publishPayout(
  context: ExamsTestContext,
  studentId: string,
  awardId: string,
  month: string,
  completedAt: string,
  payoutId: string = randomUUID(),
): Promise<string> {
  await publish(context, EventTypes.payoutSucceeded, studentId, {
    payoutId,
    batchId: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d',
    programmeId: PROGRAMME_ID,
    awardId,
    studentId,
    month,
    amount: 25000,
    currency: 'XOF',
    completedAt,
    providerTransactionId: `OM-${payoutId.slice(0, 8)}`,
  });
  return payoutId;
}

/** Waits until the consumer has applied this many events of a consumer (inbox rows). */
export async function waitForInbox(
  context: ExamsTestContext,
  consumer: string,
  count: number,
  timeoutMs = 30000,
): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await context.db.query(
        `SELECT count(*)::int AS n FROM inbox_events WHERE consumer = $1`,
        [consumer],
      );
      return rows[0].n >= count;
    },
    { timeoutMs, description: `${count} events applied by ${consumer}` },
  );
}

export async function waitForStudents(
  context: ExamsTestContext,
  studentIds: string[],
  timeoutMs = 30000,
): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await context.db.query(
        `SELECT count(*)::int AS n FROM students WHERE student_id = ANY($1::uuid[])`,
        [studentIds],
      );
      return rows[0].n === new Set(studentIds).size;
    },
    { timeoutMs, description: `${studentIds.length} students in the read model` },
  );
}

export async function drainOutbox(context: ExamsTestContext): Promise<void> {
  await context.app.get(OutboxRelay).drained();
}

export async function createSession(
  context: ExamsTestContext,
  body: Partial<{ code: string; name: string; examDate: string; cadre: string; scoreScale: number }> = {},
): Promise<{ id: string; code: string; examDate: string; stipendCutoff: string }> {
  sequence++;
  const response = await fetch(`${context.url}/api/v1/exam-sessions`, {
    method: 'POST',
    headers: { ...(await evaluator()), 'content-type': 'application/json' },
    body: JSON.stringify({
      code: `DEF-IDE-${sequence}-${Math.floor(Math.random() * 1e6)}`,
      name: "Examen de certification des infirmiers d'État",
      examDate: '2015-06-15',
      cadre: "infirmier d'État",
      ...body,
    }),
  });
  if (response.status !== 201)
    throw new Error(`session creation failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; code: string; examDate: string; stipendCutoff: string };
}

/**
 * The counts the exam_results triggers keep (what the evaluation reads) must equal a recount of
 * the result rows, whatever happened: corrections, imports, late events moving students.
 */
export async function expectCountsMatchResults(context: ExamsTestContext): Promise<void> {
  const key = 'session_id, recipient, passed, school_code, region_of_origin, intake_year, stipend_months';
  const recount = await context.db.query(
    `SELECT ${key}, count(*)::int AS n FROM exam_results GROUP BY ${key} ORDER BY ${key}`,
  );
  const kept = await context.db.query(
    `SELECT ${key}, n::int AS n FROM exam_result_counts WHERE n > 0 ORDER BY ${key}`,
  );
  if (recount.rows.length === 0) throw new Error('no results to compare: the check would prove nothing');
  expect(kept.rows).toEqual(recount.rows);
}
