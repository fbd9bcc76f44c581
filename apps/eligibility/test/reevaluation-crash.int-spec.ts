import { Roles } from '@scholarpay/auth';
import { EventTypes } from '@scholarpay/contracts';
import {
  bearer,
  createTestDatabase,
  freePort,
  KafkaTestBroker,
  serviceTestEnv,
  ServiceProcess,
  startServiceProcess,
  startTestBroker,
  testRedisUrl,
  waitFor,
} from '@scholarpay/testing';
import Redis from 'ioredis';
import { Client } from 'pg';
import request from 'supertest';
import { seedStudents } from './student-seeding';

const STUDENTS = 6000;

/**
 * The eligibility service as its own process, killed with `kill -9` in the middle of a
 * re-evaluation, then started again: BullMQ hands the job over (its lock expired), it resumes from
 * the last committed chunk, and every student ends with exactly one decision and one event.
 */
describe('eligibility: a re-evaluation survives kill -9', () => {
  let broker: KafkaTestBroker;
  let db: Client;
  let env: Record<string, string>;
  let service: ServiceProcess | null = null;
  const prefix = 'bull-test-eligibility-crash';
  const redisUrl = testRedisUrl(5);

  beforeAll(async () => {
    broker = await startTestBroker();
    const databaseUrl = await createTestDatabase('eligibility_crash');
    await clearRedis(redisUrl, `${prefix}:*`);
    env = serviceTestEnv({
      databaseUrl,
      kafkaBrokers: broker.address,
      redisUrl,
      extra: { BULLMQ_PREFIX: prefix, REEVALUATION_CHUNK_SIZE: '100', REEVALUATION_LOCK_MS: '2000' },
    });
    service = await startServiceProcess('eligibility', env, await freePort());
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    if (service) await stopGracefully(service);
    await db?.end();
    await broker?.stop();
    await clearRedis(redisUrl, `${prefix}:*`);
  });

  it('resumes after the process is killed mid-job and publishes every decision exactly once', async () => {
    await seedStudents(db, STUDENTS);
    const admin = await bearer('programme-admin-crash', [Roles.programmeAdmin]);
    const created = await request(service!.url)
      .post('/api/v1/programmes')
      .set(admin)
      .send({
        code: 'CRASH-TEST',
        name: 'Programme survivant',
        monthlyStipend: 25000,
        firstMonth: '2030-01',
        lastMonth: '2030-12',
        budget: 25000 * 12 * 300,
        maxAwards: 300,
        rules: {
          all: [
            { fact: 'regionOfOrigin', operator: 'in', value: ['Gao', 'Kidal', 'Tombouctou'] },
            { fact: 'status', operator: 'equal', value: 'enrolled' },
          ],
        },
      });
    expect(created.status).toBe(201);
    const { programme, evaluation } = created.body as {
      programme: { programmeId: string };
      evaluation: { jobId: string };
    };

    const job = async () =>
      (
        await db.query(
          'SELECT status, processed, total FROM eligibility.reevaluation_jobs WHERE job_id = $1',
          [evaluation.jobId],
        )
      ).rows[0];
    await waitFor(async () => (await job()).processed >= 1500, {
      timeoutMs: 60000,
      intervalMs: 10,
      description: 'the job to be well under way',
    });
    await service!.crash();
    service = null;

    const atCrash = await job();
    expect(atCrash.status).toBe('running');
    expect(atCrash.processed).toBeLessThan(STUDENTS);
    // Only whole chunks were committed: their decisions and their events, nothing of the chunk in flight.
    const decided = async () =>
      (
        await db.query(
          `SELECT count(*)::int AS events, count(DISTINCT message_key)::int AS students FROM eligibility.outbox_events WHERE event_type = $1`,
          [EventTypes.eligibilityDecided],
        )
      ).rows[0];
    expect(await decided()).toEqual({ events: atCrash.processed, students: atCrash.processed });
    const { rows: stored } = await db.query('SELECT count(*)::int AS count FROM eligibility.decisions');
    expect(stored[0].count).toBe(atCrash.processed);

    service = await startServiceProcess('eligibility', env, await freePort());
    const auditor = await bearer('auditor-crash', [Roles.auditor]);
    const finished = await waitFor(
      async () => {
        const response = await request(service!.url)
          .get(`/api/v1/programmes/${programme.programmeId}/evaluations/${evaluation.jobId}`)
          .set(auditor);
        const body = response.body as {
          status: string;
          processed: number;
          changed: { decisions: number; awardsGranted: number };
        };
        return body.status === 'completed' ? body : false;
      },
      { timeoutMs: 90000, intervalMs: 200, description: 'the job to complete after the restart' },
    );
    expect(finished).toMatchObject({
      processed: STUDENTS,
      changed: { decisions: STUDENTS, awardsGranted: 300 },
    });
    expect(await decided()).toEqual({ events: STUDENTS, students: STUDENTS });
    const { rows } = await db.query(
      `SELECT (SELECT count(*)::int FROM eligibility.decisions) AS decisions,
              (SELECT count(*)::int FROM eligibility.decision_history) AS history,
              (SELECT count(*)::int FROM eligibility.awards) AS awards,
              (SELECT count(*)::int FROM eligibility.outbox_events WHERE event_type = $1) AS awarded`,
      [EventTypes.scholarshipAwarded],
    );
    expect(rows[0]).toEqual({ decisions: STUDENTS, history: STUDENTS, awards: 300, awarded: 300 });
    // The restarted relay publishes what the killed one had not.
    await waitFor(
      async () =>
        (await db.query('SELECT count(*)::int AS count FROM eligibility.outbox_events WHERE sent_at IS NULL'))
          .rows[0].count === 0,
      {
        timeoutMs: 60000,
        description: 'the outbox to drain',
      },
    );
  });
});

/**
 * SIGTERM, then SIGKILL after 10 s. (The lib's `stop()` leaves its 10 s timer pending, which keeps
 * Jest from exiting; see the report.)
 */
async function stopGracefully(service: ServiceProcess): Promise<void> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
  await exited;
  clearTimeout(timer);
}

async function clearRedis(redisUrl: string, pattern: string): Promise<void> {
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
