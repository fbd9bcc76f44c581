import { EventTypes } from '@scholarpay/contracts';
import { EligibilityTestKit, startEligibilityTestKit } from './eligibility-test-kit';
import { SeededStudent, seedStudents } from './student-seeding';

/**
 * A clock that moves on a second each time it is read, as the real one moves while a job walks its
 * chunks (a stopped clock would hide any difference between chunks).
 */
function tickingClock(start: string) {
  let at = new Date(start).getTime();
  return { now: () => new Date((at += 1000)) };
}

/**
 * Without a ranking, places go first come, first served: first eligible, then first enrolled. Every
 * student a re-evaluation job finds eligible became eligible at the same moment (the rules took
 * effect when the job was requested), however many chunks the job needs, so they tie and the
 * earliest enrolled are served: never whoever's student id sorts into an earlier chunk.
 */
describe('eligibility: the order of award after a re-evaluation in many chunks', () => {
  let kit: EligibilityTestKit;
  let students: SeededStudent[];

  beforeAll(async () => {
    kit = await startEligibilityTestKit({
      name: 'reevaluation_order',
      redisDb: 5,
      clock: tickingClock('2014-09-15T10:00:00Z'),
      // 500 students in chunks of 100: five chunks, five transactions.
      extraEnv: { REEVALUATION_CHUNK_SIZE: '100' },
    });
    students = await seedStudents(kit.db, 500);
  });

  afterAll(async () => {
    await kit?.stop();
  });

  it('serves the first enrolled among students who became eligible in one job, whichever chunk decided them', async () => {
    const { programmeId, jobId } = await kit.createProgramme({
      code: 'FIRST-ENROLLED',
      rules: { all: [{ fact: 'status', operator: 'equal', value: 'enrolled' }] },
      maxAwards: 40,
    });
    const job = await kit.waitForJob(programmeId, jobId);
    expect(job).toMatchObject({ status: 'completed', processed: 500, changed: { awardsGranted: 40 } });

    const { rows: since } = await kit.db.query(
      'SELECT DISTINCT eligible_since FROM eligibility.decisions WHERE programme_id = $1 AND eligible',
      [programmeId],
    );
    expect(since).toHaveLength(1);

    const expected = students
      .filter((student) => student.status === 'enrolled')
      .sort(
        (a, b) =>
          a.enrolledAt.getTime() - b.enrolledAt.getTime() ||
          (a.studentId < b.studentId ? -1 : a.studentId > b.studentId ? 1 : 0),
      )
      .slice(0, 40)
      .map((student) => student.studentId);
    const { rows: awarded } = await kit.db.query(
      `SELECT message_key AS "studentId" FROM eligibility.outbox_events
        WHERE event_type = $1 AND envelope->'data'->'award'->>'programmeId' = $2 ORDER BY seq`,
      [EventTypes.scholarshipAwarded, programmeId],
    );
    expect(awarded.map((row: { studentId: string }) => row.studentId)).toEqual(expected);
  });
});
