/**
 * Benchmark (npm run bench:eligibility): re-evaluate 100,000 students after a rule change.
 *
 * Seeds the student read model directly (one bulk INSERT), creates a programme (whose first
 * evaluation decides everyone), then replaces its rules and times the re-evaluation job from the
 * 202 to `completed`, and separately until every event it wrote has reached Kafka. Real Postgres,
 * Redis (BullMQ) and the embedded Kafka-protocol broker; the service runs in this process.
 */
import { Roles } from '@scholarpay/auth';
import { OutboxRelay } from '@scholarpay/messaging';
import {
  bearer,
  createTestDatabase,
  recordBenchmark,
  reportBenchResult,
  serviceTestEnv,
  startTestBroker,
  testRedisUrl,
  waitFor,
} from '@scholarpay/testing';
import Redis from 'ioredis';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import request from 'supertest';
import { startEligibilityService } from '../src/eligibility.app';
import { CompiledRuleSet } from '../src/rules/compiled-rule-set';
import type { RuleSet } from '../src/rules/rule-set';
import { studentFacts } from '../src/rules/student-facts';
import { fixedClock } from '../src/shared/clock';
import { seedStudents } from '../test/student-seeding';

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 100000);
const CHUNK = 1000;
const northern = ['Gao', 'Tombouctou', 'Kidal', 'Ménaka', 'Taoudénit'];

const rulesBefore = {
  all: [
    { fact: 'regionOfOrigin', operator: 'in', value: northern },
    { fact: 'status', operator: 'equal', value: 'enrolled' },
    { fact: 'programmeOfStudy', operator: 'in', value: ['nursing', 'midwifery'] },
  ],
};
const rulesAfter = {
  all: [
    {
      any: [
        { fact: 'regionOfOrigin', operator: 'in', value: northern },
        { fact: 'regionOfOrigin', operator: 'equal', value: 'Mopti' },
      ],
    },
    { fact: 'status', operator: 'equal', value: 'enrolled' },
    { fact: 'programmeOfStudy', operator: 'in', value: ['nursing', 'midwifery'] },
    { fact: 'intakeYear', operator: 'greaterThanInclusive', value: 2013 },
    { not: { fact: 'hasPhone', operator: 'equal', value: false } },
  ],
};

async function main(): Promise<void> {
  const broker = await startTestBroker();
  const databaseUrl = await createTestDatabase('eligibility_bench');
  const redisUrl = testRedisUrl(5);
  const prefix = 'bull-bench-eligibility';
  await clearRedis(redisUrl, `${prefix}:*`);
  const { app, url } = await startEligibilityService(
    serviceTestEnv({
      databaseUrl,
      kafkaBrokers: broker.address,
      redisUrl,
      extra: { BULLMQ_PREFIX: prefix, REEVALUATION_CHUNK_SIZE: String(CHUNK), LOG_LEVEL: 'warn' },
    }),
    { port: 0, clock: fixedClock('2014-09-15T10:00:00Z') },
  );
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const admin = await bearer('bench-programme-admin', [Roles.programmeAdmin]);
  const relay = app.get(OutboxRelay);

  const loadBefore = os.loadavg()[0];
  try {
    let started = performance.now();
    await seedStudents(db, STUDENTS);
    const seedMs = performance.now() - started;
    console.log(`seeded ${STUDENTS} students in ${(seedMs / 1000).toFixed(1)} s`);

    // The engine alone: one json-rules-engine Engine, 100,000 fact sets, with explanations.
    const { rows: sample } = await db.query(
      `SELECT region_of_origin AS "regionOfOrigin", programme_of_study AS "programmeOfStudy", status, intake_year AS "intakeYear",
         date_of_birth::text AS "dateOfBirth", sex, school_code AS "schoolCode", school_id AS "schoolId", operator, has_phone AS "hasPhone"
       FROM eligibility.students`,
    );
    const compiled = new CompiledRuleSet(rulesAfter as RuleSet);
    started = performance.now();
    const evaluations = await compiled.evaluateAll(sample.map((row) => studentFacts(row)));
    const engineMs = performance.now() - started;
    const engineEligible = evaluations.filter((evaluation) => evaluation.eligible).length;
    console.log(
      `engine + explanations: ${(engineMs / 1000).toFixed(2)} s (${((engineMs * 1000) / STUDENTS).toFixed(1)} µs per student)`,
    );

    started = performance.now();
    const created = await request(url)
      .post('/api/v1/programmes')
      .set(admin)
      .send({
        code: 'BENCH-NORD',
        name: 'Benchmark programme',
        monthlyStipend: 25000,
        firstMonth: '2014-10',
        lastMonth: '2015-06',
        budget: 25000 * 9 * 5000,
        maxAwards: 5000,
        rules: rulesBefore,
        ranking: [
          { fact: 'intakeYear', direction: 'desc' },
          { fact: 'enrolledAt', direction: 'asc' },
        ],
      });
    if (created.status !== 201)
      throw new Error(`programme creation: ${created.status} ${JSON.stringify(created.body)}`);
    const programmeId: string = created.body.programme.programmeId;
    const initial = await waitForJob(url, programmeId, created.body.evaluation.jobId);
    const initialMs = performance.now() - started;
    console.log(`initial evaluation: ${(initialMs / 1000).toFixed(1)} s`, initial.changed);
    await relay.drained(600000);

    const seqBefore = Number(
      (await db.query('SELECT coalesce(max(seq), 0) AS seq FROM eligibility.outbox_events')).rows[0].seq,
    );
    started = performance.now();
    const changed = await request(url)
      .put(`/api/v1/programmes/${programmeId}/rules`)
      .set(admin)
      .send({ rules: rulesAfter, reason: 'benchmark: Mopti added, intakes from 2013, phone required' });
    if (changed.status !== 202)
      throw new Error(`rule change: ${changed.status} ${JSON.stringify(changed.body)}`);
    const job = await waitForJob(url, programmeId, changed.body.jobId);
    const jobMs = performance.now() - started;
    await relay.drained(600000);
    const publishedMs = performance.now() - started;
    const { rows: published } = await db.query(
      'SELECT event_type, count(*)::int AS count FROM eligibility.outbox_events WHERE seq > $1 GROUP BY event_type ORDER BY event_type',
      [seqBefore],
    );
    const eventsPublished = published.reduce((sum, row) => sum + row.count, 0);
    console.log(
      `re-evaluation: ${(jobMs / 1000).toFixed(1)} s; all events on Kafka after ${(publishedMs / 1000).toFixed(1)} s`,
      job.changed,
    );
    const { rows: check } = await db.query(
      `SELECT count(*)::int AS decided, count(*) FILTER (WHERE eligible)::int AS eligible,
         count(*) FILTER (WHERE rules_version = 2)::int AS rewritten
       FROM eligibility.decisions WHERE programme_id = $1`,
      [programmeId],
    );
    if (check[0].decided !== STUDENTS)
      throw new Error(`${check[0].decided} of ${STUDENTS} students have a decision`);
    // Only changed decisions are rewritten (a decision that stands keeps its row).
    if (check[0].rewritten !== job.changed.decisions) {
      throw new Error(`${check[0].rewritten} rows rewritten for ${job.changed.decisions} changed decisions`);
    }
    if (check[0].eligible !== engineEligible)
      throw new Error(`service found ${check[0].eligible} eligible, the engine alone ${engineEligible}`);

    const body = `
Re-evaluating **${STUDENTS.toLocaleString('en')} students** after a rule change (\`npm run bench:eligibility\`): the student
read model is seeded with one bulk INSERT, a programme is created (its first evaluation decides everyone), then
\`PUT /programmes/{id}/rules\` replaces the rules and the BullMQ job is timed from the 202 to \`completed\`. Chunks of
${CHUNK} students, each one transaction (keyset over student id, decisions and awards written in bulk, events through
the outbox). Real Postgres, Redis and the embedded Kafka-protocol broker; the service runs in the benchmark's process.

| measure | result |
| --- | --- |
| **re-evaluation after the rule change, 202 → completed** | **${(jobMs / 1000).toFixed(1)} s** (${Math.round(STUDENTS / (jobMs / 1000)).toLocaleString('en')} students/s; target < 60 s) |
| … until every event it wrote was on Kafka | ${(publishedMs / 1000).toFixed(1)} s |
| decisions changed (and published) | ${job.changed.decisions.toLocaleString('en')} (${job.changed.becameEligible.toLocaleString('en')} became eligible, ${job.changed.becameIneligible.toLocaleString('en')} ineligible) |
| awards revoked / granted (5,000 places, ranked) | ${job.changed.awardsRevoked.toLocaleString('en')} / ${job.changed.awardsGranted.toLocaleString('en')} |
| events published by the job | ${eventsPublished.toLocaleString('en')} (${published.map((row) => `${row.count.toLocaleString('en')} ${row.event_type.replace('scholarpay.eligibility.', '')}`).join(', ')}) |
| first evaluation of a new programme (every decision new) | ${(initialMs / 1000).toFixed(1)} s |
| json-rules-engine alone, with explanations (one Engine, in memory) | ${(engineMs / 1000).toFixed(2)} s (${((engineMs * 1000) / STUDENTS).toFixed(1)} µs per student) |
| seeding the read model (bulk INSERT) | ${(seedMs / 1000).toFixed(1)} s |

One-minute load average ${loadBefore.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end (on ${os.cpus().length} cores; other
work on the machine slows every figure above).
`;
    reportBenchResult(
      'eligibility',
      { reevaluationSeconds: jobMs / 1000, firstEvaluationSeconds: initialMs / 1000 },
      { reevaluationSeconds: 's', firstEvaluationSeconds: 's' },
    );
    recordBenchmark('eligibility', 'Eligibility re-evaluation', body);
    console.log(body);
  } finally {
    await db.end();
    await app.close();
    await broker.stop();
    await clearRedis(redisUrl, `${prefix}:*`);
  }
}

async function waitForJob(
  url: string,
  programmeId: string,
  jobId: string,
): Promise<{ status: string; changed: Record<string, number> }> {
  const headers = await bearer('bench-auditor', [Roles.auditor]);
  return waitFor(
    async () => {
      const response = await request(url)
        .get(`/api/v1/programmes/${programmeId}/evaluations/${jobId}`)
        .set(headers);
      if (response.body.status === 'failed' || response.body.status === 'superseded')
        throw new Error(`job ${response.body.status}: ${response.body.error}`);
      return response.body.status === 'completed' ? response.body : false;
    },
    { timeoutMs: 600000, intervalMs: 100, description: `evaluation ${jobId}` },
  );
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

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
