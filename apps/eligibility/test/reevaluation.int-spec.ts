import { EventTypes } from '@scholarpay/contracts';
import { waitFor } from '@scholarpay/testing';
import { Client } from 'pg';
import {
  admin,
  auditor,
  EligibilityTestKit,
  startEligibilityTestKit,
  studentSnapshot,
} from './eligibility-test-kit';
import { byIntakeThenEnrolment, SeededStudent, seedStudents } from './student-seeding';

const northern = ['Gao', 'Tombouctou', 'Kidal', 'Ménaka', 'Taoudénit'];

/** Rules version 1: northern regions, enrolled. */
const rulesV1 = {
  all: [
    { fact: 'regionOfOrigin', operator: 'in', value: northern },
    { fact: 'status', operator: 'equal', value: 'enrolled' },
  ],
};
const eligibleV1 = (s: SeededStudent) => northern.includes(s.regionOfOrigin) && s.status === 'enrolled';

/** Rules version 2: Mopti too, but only intakes from 2013. */
const rulesV2 = {
  all: [
    {
      any: [
        { fact: 'regionOfOrigin', operator: 'in', value: northern },
        { fact: 'regionOfOrigin', operator: 'equal', value: 'Mopti' },
      ],
    },
    { fact: 'intakeYear', operator: 'greaterThanInclusive', value: 2013 },
    { fact: 'status', operator: 'equal', value: 'enrolled' },
  ],
};
const eligibleV2 = (s: SeededStudent) =>
  (northern.includes(s.regionOfOrigin) || s.regionOfOrigin === 'Mopti') &&
  s.intakeYear >= 2013 &&
  s.status === 'enrolled';

/**
 * Deciding every student again when rules change: in chunks (200 here), ranked awards, only changes
 * published, superseded by a newer rule set, and resumed after a failure mid-way.
 */
describe('eligibility: re-evaluation when rules change', () => {
  let kit: EligibilityTestKit;
  let students: SeededStudent[];

  beforeAll(async () => {
    kit = await startEligibilityTestKit({
      name: 'reevaluation',
      redisDb: 5,
      extraEnv: { REEVALUATION_CHUNK_SIZE: '200' },
    });
    students = await seedStudents(kit.db, 1000);
  });

  afterAll(async () => {
    await kit?.stop();
  });

  async function outboxSeq(): Promise<number> {
    const { rows } = await kit.db.query(
      'SELECT coalesce(max(seq), 0)::int AS seq FROM eligibility.outbox_events',
    );
    return rows[0].seq;
  }

  async function eventsSince(seq: number, type: string): Promise<{ subject: string; data: any }[]> {
    const { rows } = await kit.db.query(
      "SELECT message_key AS subject, envelope->'data' AS data FROM eligibility.outbox_events WHERE seq > $1 AND event_type = $2 ORDER BY seq",
      [seq, type],
    );
    return rows;
  }

  async function liveAwards(programmeId: string): Promise<Map<string, { awardId: string; version: number }>> {
    const { rows } = await kit.db.query(
      `SELECT student_id, award_id, version FROM eligibility.awards WHERE programme_id = $1 AND status <> 'revoked'`,
      [programmeId],
    );
    return new Map(
      rows.map((row) => [
        row.student_id as string,
        { awardId: row.award_id as string, version: row.version as number },
      ]),
    );
  }

  /**
   * Backends of this test database waiting on a lock while running a statement containing `sql`.
   * (Ask from a connection outside any transaction: pg_stat_activity is a snapshot within one.)
   */
  async function waitingOn(client: Client, sql: string): Promise<number> {
    const { rows } = await client.query(
      `SELECT count(*)::int AS count FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND position($1 in query) > 0`,
      [sql],
    );
    return rows[0].count;
  }

  async function putRules(programmeId: string, rules: unknown, reason: string): Promise<string> {
    const response = await kit
      .http()
      .put(`/api/v1/programmes/${programmeId}/rules`)
      .set(await kit.as(admin))
      .send({ rules, reason });
    expect(response.status).toBe(202);
    return response.body.jobId;
  }

  it('decides every student of a new programme, then awards the places in ranking order', async () => {
    const before = await outboxSeq();
    const { programmeId, jobId } = await kit.createProgramme({
      code: 'RANKED',
      rules: rulesV1,
      maxAwards: 100,
      ranking: [
        { fact: 'intakeYear', direction: 'asc' },
        { fact: 'enrolledAt', direction: 'asc' },
      ],
    });
    const job = await kit.waitForJob(programmeId, jobId);
    const eligible = students.filter(eligibleV1);
    expect(job).toMatchObject({
      status: 'completed',
      phase: 'done',
      processed: 1000,
      total: 1000,
      percent: 100,
      changed: {
        decisions: 1000,
        becameEligible: eligible.length,
        becameIneligible: 0,
        awardsGranted: 100,
        awardsRevoked: 0,
      },
    });

    const expectedHolders = [...eligible]
      .sort(byIntakeThenEnrolment)
      .slice(0, 100)
      .map((s) => s.studentId);
    expect([...(await liveAwards(programmeId)).keys()].sort()).toEqual([...expectedHolders].sort());
    expect(await eventsSince(before, EventTypes.eligibilityDecided)).toHaveLength(1000);
    const awarded = await eventsSince(before, EventTypes.scholarshipAwarded);
    expect(awarded.map((event) => event.subject)).toEqual(expectedHolders);
    expect(awarded[0].data).toMatchObject({
      changedBy: admin.sub,
      award: { version: 1, status: 'active', firstMonth: '2014-10' },
    });
  });

  it('publishes only the decisions and awards a rule change alters, and never takes an award away for ranking', async () => {
    const programmeId = (
      await kit
        .http()
        .get('/api/v1/programmes')
        .set(await kit.as(auditor))
    ).body.find((p: { code: string }) => p.code === 'RANKED').programmeId;
    const holdersBefore = await liveAwards(programmeId);
    const before = await outboxSeq();

    const jobId = await putRules(
      programmeId,
      rulesV2,
      'Mopti students qualify; intakes before 2013 no longer do',
    );
    const progress = await kit
      .http()
      .get(`/api/v1/programmes/${programmeId}/evaluations/${jobId}`)
      .set(await kit.as(auditor));
    expect(progress.status).toBe(200);
    expect(['queued', 'running', 'completed']).toContain(progress.body.status);
    const job = await kit.waitForJob(programmeId, jobId);

    const changed = students.filter((s) => eligibleV1(s) !== eligibleV2(s));
    const keptHolders = [...holdersBefore.keys()].filter((id) =>
      eligibleV2(students.find((s) => s.studentId === id)!),
    );
    const revokedHolders = [...holdersBefore.keys()].filter((id) => !keptHolders.includes(id));
    const waiting = students
      .filter((s) => eligibleV2(s) && !holdersBefore.has(s.studentId))
      .sort(byIntakeThenEnrolment);
    const newHolders = waiting.slice(0, revokedHolders.length).map((s) => s.studentId);
    expect(revokedHolders.length).toBeGreaterThan(0);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(1000);

    expect(job).toMatchObject({
      status: 'completed',
      processed: 1000,
      changed: {
        decisions: changed.length,
        becameEligible: changed.filter(eligibleV2).length,
        becameIneligible: changed.filter(eligibleV1).length,
        awardsRevoked: revokedHolders.length,
        awardsGranted: newHolders.length,
      },
    });
    // Only the changed decisions are published, one each.
    const decided = await eventsSince(before, EventTypes.eligibilityDecided);
    expect(decided.map((event) => event.subject).sort()).toEqual(changed.map((s) => s.studentId).sort());
    for (const event of decided) {
      const student = students.find((s) => s.studentId === event.subject)!;
      expect(event.data.eligible).toBe(eligibleV2(student));
    }
    // Holders still eligible keep their award untouched, even where newly eligible students rank higher.
    const holdersAfter = await liveAwards(programmeId);
    for (const id of keptHolders) expect(holdersAfter.get(id)).toEqual(holdersBefore.get(id));
    const revoked = await eventsSince(before, EventTypes.scholarshipRevoked);
    expect(revoked.map((event) => event.subject).sort()).toEqual([...revokedHolders].sort());
    expect(revoked[0].data).toMatchObject({
      changedBy: admin.sub,
      award: { status: 'revoked', version: 2 },
      reason: expect.stringMatching(
        /^no longer eligible for RANKED under rules version 2: intake year 201[12] is not at least 2013$/,
      ),
    });
    const awarded = await eventsSince(before, EventTypes.scholarshipAwarded);
    expect(awarded.map((event) => event.subject)).toEqual(newHolders);
    expect(holdersAfter.size).toBe(100);

    // Decisions that stand are not rewritten; their explanation is computed against the rules in force when read.
    const { rows } = await kit.db.query(
      'SELECT count(*)::int AS count FROM eligibility.decisions WHERE programme_id = $1 AND rules_version = 2',
      [programmeId],
    );
    expect(rows[0].count).toBe(changed.length);
    const unchanged = students.find((s) => eligibleV1(s) && eligibleV2(s))!;
    const view = await kit
      .http()
      .get(`/api/v1/students/${unchanged.studentId}/eligibility`)
      .set(await kit.as(auditor));
    const standing = view.body.programmes.find(
      (entry: { programmeId: string }) => entry.programmeId === programmeId,
    );
    expect(standing.decision).toMatchObject({ eligible: true, rulesVersion: 1 });
    expect(standing.explanation).toMatchObject({
      rulesVersion: 2,
      upToDate: true,
      summary: 'Eligible: every rule is met.',
    });
    expect(standing.explanation.outcomes.map((outcome: { path: string }) => outcome.path)).toEqual([
      'all[0]',
      'all[0].any[0]',
      'all[0].any[1]',
      'all[1]',
      'all[2]',
    ]);
    expect(standing.explanation.outcomes[3].explanation).toBe(
      `intake year ${unchanged.intakeYear} is at least 2013`,
    );

    // Everything committed reaches Kafka.
    await kit.drained();
    expect(
      kit
        .eventsOf(EventTypes.scholarshipRevoked)
        .filter((event) => event.data.award.programmeId === programmeId),
    ).toHaveLength(revokedHolders.length);
  });

  it('stops a job superseded by newer rules, and the newer job decides from where things stand', async () => {
    const { programmeId, jobId: first } = await kit.createProgramme({
      code: 'SUPERSEDED',
      rules: rulesV1,
      maxAwards: 10,
    });
    await kit.waitForJob(programmeId, first);
    // Pause the next job inside its second chunk: hold the decision row of a student of that chunk
    // whose decision version 2 changes (the job waits on it while holding the programme's lock).
    const sorted = [...students].sort((a, b) => (a.studentId < b.studentId ? -1 : 1));
    const paused = sorted.slice(200, 400).find((s) => eligibleV1(s) !== eligibleV2(s))!;
    const holder = new Client({ connectionString: kit.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(
        'SELECT 1 FROM eligibility.decisions WHERE programme_id = $1 AND student_id = $2 FOR UPDATE',
        [programmeId, paused.studentId],
      );
      const second = await putRules(programmeId, rulesV2, 'version 2');
      await waitFor(async () => (await waitingOn(kit.db, 'INSERT INTO decisions')) > 0, {
        description: 'the second job to wait inside its second chunk',
      });
      // Version 3 is saved while the second job holds the programme: the change waits its turn.
      const third = putRules(
        programmeId,
        { all: [{ fact: 'status', operator: 'equal', value: 'enrolled' }] },
        'version 3: every enrolled student',
      );
      await waitFor(async () => (await waitingOn(kit.db, 'FROM programmes WHERE programme_id')) > 0, {
        description: 'the rules change to wait for the programme',
      });
      await holder.query('COMMIT');
      const thirdJob = await third;

      const superseded = await kit.waitForJob(programmeId, second);
      expect(superseded).toMatchObject({
        status: 'superseded',
        error: expect.stringContaining('rules version 3 replaced version 2'),
      });
      // It finished the chunk it was in (committed before the change) and stopped at a chunk boundary
      // before the end. Whether it won the programme lock for one more chunk before the rules change
      // did is up to Postgres's lock queue, so the exact boundary is not asserted.
      expect(superseded.processed % 200).toBe(0);
      expect(superseded.processed).toBeGreaterThanOrEqual(400);
      expect(superseded.processed).toBeLessThan(1000);
      const completed = await kit.waitForJob(programmeId, thirdJob);
      expect(completed).toMatchObject({ status: 'completed', processed: 1000 });
    } finally {
      await holder.end();
    }
    const { rows } = await kit.db.query(
      `SELECT count(*)::int AS decided, count(*) FILTER (WHERE eligible)::int AS eligible FROM eligibility.decisions WHERE programme_id = $1`,
      [programmeId],
    );
    expect(rows[0]).toEqual({
      decided: 1000,
      eligible: students.filter((s) => s.status === 'enrolled').length,
    });
  });

  it('decides a student who changes during a re-evaluation from their newest facts', async () => {
    const { programmeId, jobId: first } = await kit.createProgramme({
      code: 'RACE',
      rules: rulesV1,
      maxAwards: 10,
    });
    await kit.waitForJob(programmeId, first);
    const sorted = [...students].sort((a, b) => (a.studentId < b.studentId ? -1 : 1));
    const racer = sorted.slice(200, 400).find((s) => eligibleV1(s) !== eligibleV2(s))!;
    // The job will decide the racer from the facts it read; the event makes the opposite true.
    const moved = eligibleV2(racer)
      ? { regionOfOrigin: 'Bamako' }
      : { regionOfOrigin: 'Gao', intakeYear: 2014, status: 'enrolled' as const };
    const holder = new Client({ connectionString: kit.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(
        'SELECT 1 FROM eligibility.decisions WHERE programme_id = $1 AND student_id = $2 FOR UPDATE',
        [programmeId, racer.studentId],
      );
      const jobId = await putRules(programmeId, rulesV2, 'version 2');
      await waitFor(async () => (await waitingOn(kit.db, 'INSERT INTO decisions')) > 0, {
        description: 'the job to wait inside the racer’s chunk',
      });
      await kit.publishStudent(
        EventTypes.studentUpdated,
        studentSnapshot({
          studentId: racer.studentId,
          version: 2,
          intakeYear: racer.intakeYear,
          status: racer.status as 'enrolled',
          ...moved,
        }),
        { changes: { regionOfOrigin: { from: racer.regionOfOrigin, to: moved.regionOfOrigin } } },
      );
      await waitFor(
        async () => (await waitingOn(kit.db, 'FROM programmes ORDER BY programme_id FOR UPDATE')) > 0,
        {
          description: 'the student event to wait for the programme',
        },
      );
      await holder.query('COMMIT');
      await kit.waitForJob(programmeId, jobId);
      await kit.waitForStudentVersion(racer.studentId, 2);
    } finally {
      await holder.end();
    }
    const now = { ...racer, ...moved };
    await waitFor(
      async () => {
        const { rows } = await kit.db.query(
          'SELECT eligible FROM eligibility.decisions WHERE programme_id = $1 AND student_id = $2',
          [programmeId, racer.studentId],
        );
        return rows[0].eligible === eligibleV2(now);
      },
      { description: 'the racer decided from the newest facts' },
    );
  });

  it('resumes a job that failed mid-way from its last committed chunk, publishing nothing twice', async () => {
    // A fault from outside the service, at the worst moment: the fifth chunk's decisions, awards and
    // events are written, and the last statement of its transaction (the job's progress) fails, once.
    await kit.db.query(`CREATE SEQUENCE IF NOT EXISTS public.eligibility_fault_once`);
    await kit.db.query(`
      CREATE OR REPLACE FUNCTION public.eligibility_fail_once() RETURNS trigger AS $$
      BEGIN
        IF NEW.processed = 1000 AND NEW.cause = 'programme_created' THEN
          IF nextval('public.eligibility_fault_once') = 1 THEN
            RAISE EXCEPTION 'injected fault: connection lost before commit';
          END IF;
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await kit.db.query(
      'CREATE TRIGGER eligibility_fail_once BEFORE UPDATE ON eligibility.reevaluation_jobs FOR EACH ROW EXECUTE FUNCTION public.eligibility_fail_once()',
    );
    try {
      const before = await outboxSeq();
      const { programmeId, jobId } = await kit.createProgramme({
        code: 'RESUMED',
        rules: rulesV2,
        maxAwards: 50,
      });
      const job = await kit.waitForJob(programmeId, jobId);
      const { rows: fault } = await kit.db.query(
        `SELECT last_value::int AS calls FROM public.eligibility_fault_once`,
      );
      expect(fault[0].calls).toBeGreaterThanOrEqual(2);
      expect(job).toMatchObject({
        status: 'completed',
        processed: 1000,
        changed: { decisions: 1000, awardsGranted: 50 },
      });
      expect(job.error).toBeNull();

      const decided = await eventsSince(before, EventTypes.eligibilityDecided);
      expect(decided).toHaveLength(1000);
      expect(new Set(decided.map((event) => event.subject)).size).toBe(1000);
      expect(await eventsSince(before, EventTypes.scholarshipAwarded)).toHaveLength(50);
      const { rows } = await kit.db.query(
        'SELECT count(*)::int AS count FROM eligibility.decision_history WHERE programme_id = $1',
        [programmeId],
      );
      expect(rows[0].count).toBe(1000);
    } finally {
      await kit.db.query('DROP TRIGGER IF EXISTS eligibility_fail_once ON eligibility.reevaluation_jobs');
    }
  });
});
