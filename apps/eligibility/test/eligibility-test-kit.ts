import { INestApplication } from '@nestjs/common';
import { Roles, type Role } from '@scholarpay/auth';
import {
  buildEnvelope,
  EventEnvelope,
  EventTypes,
  StudentSnapshot,
  Topics,
  type StudentStatus,
} from '@scholarpay/contracts';
import { OutboxRelay } from '@scholarpay/messaging';
import {
  bearer,
  createTestDatabase,
  KafkaTestBroker,
  serviceTestEnv,
  startTestBroker,
  testRedisUrl,
  waitFor,
} from '@scholarpay/testing';
import Redis from 'ioredis';
import { Consumer, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { startEligibilityService } from '../src/eligibility.app';
import { Clock, fixedClock } from '../src/shared/clock';

export const admin = { sub: 'programme-admin-aminata', roles: [Roles.programmeAdmin] as Role[] };
export const auditor = { sub: 'auditor-ousmane', roles: [Roles.auditor] as Role[] };

/** A student snapshot as enrolment publishes it. */
export function studentSnapshot(overrides: Partial<StudentSnapshot> = {}): StudentSnapshot {
  return {
    studentId: randomUUID(),
    version: 1,
    nationalId: `ML-${randomUUID().slice(0, 8)}`,
    firstName: 'Aïssata',
    lastName: "N'Diaye",
    sex: 'F',
    dateOfBirth: '1995-03-14',
    regionOfOrigin: 'Gao',
    schoolId: '0f0b6c9e-2b7a-4a53-8f0e-6f1d9a1c3b22',
    schoolCode: 'ESS-GAO',
    programmeOfStudy: 'nursing',
    intakeYear: 2014,
    phone: '+22376123456',
    operator: 'orange',
    status: 'enrolled',
    enrolledAt: '2014-10-01T08:00:00.000Z',
    ...overrides,
  };
}

export const northernNursingRules = {
  all: [
    { fact: 'regionOfOrigin', operator: 'in', value: ['Gao', 'Tombouctou', 'Kidal', 'Ménaka', 'Taoudénit'] },
    { fact: 'status', operator: 'equal', value: 'enrolled' },
    { fact: 'programmeOfStudy', operator: 'in', value: ['nursing', 'midwifery'] },
    { fact: 'intakeYear', operator: 'greaterThanInclusive', value: 2013 },
  ],
};

export function programmeBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code: `GAO-${randomUUID().slice(0, 6).toUpperCase()}`,
    name: 'Bourses infirmiers du Nord',
    monthlyStipend: 25000,
    firstMonth: '2014-10',
    lastMonth: '2015-06',
    budget: 25000 * 9 * 100,
    maxAwards: 100,
    rules: northernNursingRules,
    ...overrides,
  };
}

export interface EligibilityTestKit {
  app: INestApplication;
  url: string;
  broker: KafkaTestBroker;
  databaseUrl: string;
  db: Client;
  http: () => ReturnType<typeof request>;
  as: (user: { sub: string; roles: Role[]; schoolIds?: string[] }) => Promise<{ Authorization: string }>;
  /** Publishes a student event onto enrolment's topic, keyed by student id, as enrolment would. */
  publishStudent: (
    type: StudentEventType,
    student: StudentSnapshot,
    extra?: Record<string, unknown>,
  ) => Promise<EventEnvelope>;
  /** Publishes an already-built envelope again (redelivery), on enrolment's topic unless told. */
  republish: (envelope: EventEnvelope, topic?: string) => Promise<void>;
  /** Publishes a successful payout of one award's month onto payments' topic, keyed by student id, as payments would. */
  publishPayout: (payout: PaidMonth) => Promise<EventEnvelope>;
  /** Every eligibility event seen on its topics, in arrival order. */
  events: () => EventEnvelope<any>[];
  eventsOf: (type: string, studentId?: string) => EventEnvelope<any>[];
  /** Waits until the student's snapshot of this version has been applied (inbox committed). */
  waitForStudentVersion: (studentId: string, version: number) => Promise<void>;
  waitForInboxCount: (count: number) => Promise<void>;
  drained: () => Promise<void>;
  createProgramme: (overrides?: Record<string, unknown>) => Promise<{ programmeId: string; jobId: string }>;
  waitForJob: (programmeId: string, jobId: string) => Promise<Record<string, any>>;
  stop: () => Promise<void>;
}

/** What payments says of a month it paid: the rest of the event is filled in. */
export interface PaidMonth {
  programmeId: string;
  awardId: string;
  studentId: string;
  month: string;
  amount: number;
  payoutId?: string;
}

export type StudentEventType =
  | typeof EventTypes.studentRegistered
  | typeof EventTypes.studentUpdated
  | typeof EventTypes.studentStatusChanged;

export async function startEligibilityTestKit(options: {
  name: string;
  redisDb: 4 | 5;
  clock?: Clock;
  extraEnv?: Record<string, string>;
}): Promise<EligibilityTestKit> {
  const broker = await startTestBroker();
  const databaseUrl = await createTestDatabase(`eligibility_${options.name}`);
  const redisUrl = testRedisUrl(options.redisDb);
  const bullPrefix = `bull-test-eligibility-${options.name}`;
  await deleteRedisKeys(redisUrl, `${bullPrefix}:*`);
  const kafka = new Kafka({
    clientId: `eligibility-test-${options.name}`,
    brokers: [broker.address],
    logLevel: logLevel.NOTHING,
  });
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  await kafkaAdmin.createTopics({
    topics: [
      Topics.studentEvents,
      Topics.payoutEvents,
      Topics.awardEvents,
      Topics.eligibilityEvents,
      Topics.programmeEvents,
    ].map((topic) => ({ topic, numPartitions: 3 })),
  });
  await kafkaAdmin.disconnect();

  const { app, url } = await startEligibilityService(
    serviceTestEnv({
      databaseUrl,
      kafkaBrokers: broker.address,
      redisUrl,
      extra: { BULLMQ_PREFIX: bullPrefix, ...options.extraEnv },
    }),
    { port: 0, clock: options.clock ?? fixedClock('2014-09-15T10:00:00Z') },
  );
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();

  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const seen: EventEnvelope<any>[] = [];
  const consumer: Consumer = kafka.consumer({ groupId: `eligibility-test-observer-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({
    topics: [Topics.awardEvents, Topics.eligibilityEvents, Topics.programmeEvents],
    fromBeginning: true,
  });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const envelope = JSON.parse(message.value!.toString()) as EventEnvelope<any>;
      if (message.key?.toString() !== envelope.subject)
        throw new Error(`event ${envelope.id} is keyed ${message.key?.toString()}, not by its subject`);
      seen.push(envelope);
    },
  });

  const http = () => request(url);
  const kit: EligibilityTestKit = {
    app,
    url,
    broker,
    databaseUrl,
    db,
    http,
    as: (user) => bearer(user.sub, user.roles, user.schoolIds ?? []),
    publishStudent: async (type, student, extra = {}) => {
      const data =
        type === EventTypes.studentRegistered
          ? { student }
          : type === EventTypes.studentUpdated
            ? { student, changes: {}, changedBy: 'school-admin-1', ...extra }
            : {
                student,
                from: 'enrolled',
                to: student.status,
                reason: 'recorded by the school',
                changedBy: 'school-admin-1',
                ...extra,
              };
      const envelope = buildEnvelope({
        source: '/scholarpay/enrolment',
        type,
        subject: student.studentId,
        data,
      });
      await producer.send({
        topic: Topics.studentEvents,
        messages: [{ key: student.studentId, value: JSON.stringify(envelope) }],
      });
      return envelope;
    },
    republish: async (envelope, topic = Topics.studentEvents) => {
      await producer.send({
        topic,
        messages: [{ key: envelope.subject, value: JSON.stringify(envelope) }],
      });
    },
    publishPayout: async (payout) => {
      const envelope = buildEnvelope({
        source: '/scholarpay/payments',
        type: EventTypes.payoutSucceeded,
        subject: payout.studentId,
        data: {
          payoutId: payout.payoutId ?? randomUUID(),
          batchId: randomUUID(),
          programmeId: payout.programmeId,
          awardId: payout.awardId,
          studentId: payout.studentId,
          month: payout.month,
          amount: payout.amount,
          currency: 'XOF',
          completedAt: new Date().toISOString(),
          providerTransactionId: `OM-${randomUUID().slice(0, 8)}`,
        },
      });
      await producer.send({
        topic: Topics.payoutEvents,
        messages: [{ key: payout.studentId, value: JSON.stringify(envelope) }],
      });
      return envelope;
    },
    events: () => [...seen],
    eventsOf: (type, studentId) =>
      seen.filter((event) => event.type === type && (studentId === undefined || event.subject === studentId)),
    waitForStudentVersion: async (studentId, version) => {
      await waitFor(
        async () => {
          const { rows } = await db.query('SELECT version FROM eligibility.students WHERE student_id = $1', [
            studentId,
          ]);
          return rows[0]?.version >= version;
        },
        { timeoutMs: 30000, description: `student ${studentId} at version ${version}` },
      );
    },
    waitForInboxCount: async (count) => {
      await waitFor(
        async () => {
          const { rows } = await db.query('SELECT count(*)::int AS count FROM eligibility.inbox_events');
          return rows[0].count >= count;
        },
        { timeoutMs: 30000, description: `${count} consumed events` },
      );
    },
    drained: async () => {
      await app.get(OutboxRelay).drained();
      const { rows } = await db.query('SELECT count(*)::int AS count FROM eligibility.outbox_events');
      const expected: number = rows[0].count;
      await waitFor(() => seen.length >= expected, {
        timeoutMs: 30000,
        description: `${expected} published events observed`,
      });
    },
    createProgramme: async (overrides = {}) => {
      const response = await http()
        .post('/api/v1/programmes')
        .set(await bearer(admin.sub, admin.roles))
        .send(programmeBody(overrides));
      if (response.status !== 201)
        throw new Error(`programme creation answered ${response.status}: ${JSON.stringify(response.body)}`);
      return { programmeId: response.body.programme.programmeId, jobId: response.body.evaluation.jobId };
    },
    waitForJob: async (programmeId, jobId) => {
      const headers = await bearer(auditor.sub, auditor.roles);
      return waitFor(
        async () => {
          const response = await http()
            .get(`/api/v1/programmes/${programmeId}/evaluations/${jobId}`)
            .set(headers);
          if (response.body.status === 'failed') throw new Error(`job failed: ${response.body.error}`);
          return ['completed', 'superseded'].includes(response.body.status)
            ? (response.body as Record<string, any>)
            : false;
        },
        { timeoutMs: 60000, intervalMs: 100, description: `evaluation ${jobId}` },
      );
    },
    stop: async () => {
      await consumer.disconnect().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
      await app.close();
      await db.end();
      await broker.stop();
      await deleteRedisKeys(redisUrl, `${bullPrefix}:*`);
    },
  };
  return kit;
}

/** Removes this test file's BullMQ keys (its own prefix in its own Redis db), leaving anything else alone. */
async function deleteRedisKeys(redisUrl: string, pattern: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

export async function studentStatus(
  kit: EligibilityTestKit,
  studentId: string,
  status: StudentStatus,
  version: number,
  student: StudentSnapshot,
) {
  return kit.publishStudent(EventTypes.studentStatusChanged, { ...student, status, version });
}
