import {
  buildEnvelope,
  deadLetterTopic,
  EventTypes,
  Topics,
  topicOf,
  type EventType,
} from '@scholarpay/contracts';
import { waitFor } from '@scholarpay/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import referenceCases from './fixtures/stats-cases.json';
import { EVALUATION_CSV_COLUMNS } from '../src/evaluation/statistics';
import {
  as,
  auditor,
  awardSnapshot,
  createSession,
  evaluator,
  newStudent,
  programmeAdmin,
  publish,
  publishAward,
  publishPayout,
  publishStudent,
  expectCountsMatchResults,
  startExamsForTest,
  studentSnapshot,
  waitForInbox,
  waitForStudents,
  type ExamsTestContext,
  type StudentFacts,
} from './helpers';

jest.setTimeout(180000);

const caseA = referenceCases.cases.a;
const caseD = referenceCases.cases.d;
const TOLERANCE = 1e-5;
/** The fixture's tolerance for conditional maximum-likelihood estimates (R's uniroot). */
const CONDITIONAL_TOLERANCE = 1e-3;

function close(actual: number, expected: number, tolerance = TOLERANCE): void {
  const error = Math.abs(actual - expected) / Math.abs(expected);
  if (!(error <= tolerance))
    throw new Error(`got ${actual}, expected ${expected} (relative error ${error.toExponential(2)})`);
}

interface Estimate {
  estimable: boolean;
  estimate: number;
  ci95: [number, number];
  reason?: string;
}
interface Test {
  estimable: boolean;
  statistic: number;
  df: number;
  p: number;
  reason?: string;
}

function closeInterval(value: Estimate, estimate: number, ci: number[], tolerance = TOLERANCE): void {
  expect(value.estimable).toBe(true);
  close(value.estimate, estimate, tolerance);
  close(value.ci95[0], ci[0], tolerance);
  close(value.ci95[1], ci[1], tolerance);
}

function closeTest(value: Test, expected: { statistic: number; p: number; df?: number }): void {
  expect(value.estimable).toBe(true);
  close(value.statistic, expected.statistic);
  close(value.p, expected.p);
  if (expected.df !== undefined) expect(value.df).toBe(expected.df);
}

/** Sends many contract-valid events in one produce request per topic. */
async function publishMany(
  context: ExamsTestContext,
  events: { type: EventType; subject: string; data: unknown }[],
): Promise<void> {
  const byTopic = new Map<string, { key: string; value: string }[]>();
  for (const event of events) {
    const envelope = buildEnvelope({
      source: '/scholarpay/test',
      type: event.type,
      subject: event.subject,
      data: event.data,
    });
    const topic = topicOf(event.type);
    byTopic.set(topic, [
      ...(byTopic.get(topic) ?? []),
      { key: event.subject, value: JSON.stringify(envelope) },
    ]);
  }
  for (const [topic, messages] of byTopic) await context.producer.send({ topic, acks: -1, messages });
}

function payoutData(studentId: string, awardId: string, month: string, completedAt: string) {
  const payoutId = randomUUID();
  return {
    payoutId,
    batchId: randomUUID(),
    programmeId: '3f0c2a4e-1b2d-4c6e-8a9b-0c1d2e3f4a5b',
    awardId,
    studentId,
    month,
    amount: 25000,
    currency: 'XOF',
    completedAt,
    providerTransactionId: `OM-${payoutId.slice(0, 8)}`,
  };
}

describe('exams: recipient read model and pass-rate evaluation', () => {
  let context: ExamsTestContext;

  beforeAll(async () => {
    context = await startExamsForTest('evaluation');
  });

  afterAll(async () => {
    await context?.stop();
  });

  async function results(
    sessionId: string,
  ): Promise<Map<string, { recipient: boolean; stipendMonths: number; schoolCode: string | null }>> {
    const response = await request(context.url)
      .get(`/api/v1/exam-sessions/${sessionId}/results?limit=500`)
      .set(await auditor());
    return new Map(response.body.items.map((r: { studentId: string }) => [r.studentId, r]));
  }

  async function record(sessionId: string, studentId: string, passed: boolean) {
    const response = await request(context.url)
      .post(`/api/v1/exam-sessions/${sessionId}/results`)
      .set(await evaluator())
      .send({ studentId, passed });
    expect(response.status).toBe(201);
    return response.body.result as {
      id: string;
      recipient: boolean;
      stipendMonths: number;
      schoolCode: string;
    };
  }

  describe('who is a recipient, by the exam-date rule', () => {
    const paid = newStudent();
    const paidAtCutoff = newStudent();
    const paidJustBefore = newStudent();
    const neverAwarded = newStudent();
    const awardedAfter = newStudent();
    const paidLater = newStudent();
    const moved = newStudent({ schoolCode: 'BAMAKO-INFSS' });
    const suspendedLater = newStudent();
    let sessionId: string;

    beforeAll(async () => {
      for (const student of [
        paid,
        paidAtCutoff,
        paidJustBefore,
        neverAwarded,
        awardedAfter,
        paidLater,
        suspendedLater,
      ]) {
        await publishStudent(context, student);
      }
      // Out of order: version 2 (Bamako) first, then the stale version 1 (Gao) must be ignored.
      await publishStudent(context, { ...moved, version: 2 });
      await publishStudent(context, { ...moved, schoolCode: 'GAO-ESS', version: 1 });

      const paidAward = await publishAward(context, paid.studentId);
      await publishPayout(context, paid.studentId, paidAward, '2014-10', '2014-10-31T12:00:00Z');
      const novemberPayout = await publishPayout(
        context,
        paid.studentId,
        paidAward,
        '2014-11',
        '2014-11-30T12:00:00Z',
      );
      // Redelivery of the same event changes nothing; a second payout for a month already paid adds no month.
      const redelivered = randomUUID();
      await publish(
        context,
        EventTypes.payoutSucceeded,
        paid.studentId,
        payoutData(paid.studentId, paidAward, '2014-12', '2014-12-31T12:00:00Z'),
        { id: redelivered },
      );
      const { rows } = await context.db.query('SELECT 1'); // keep the connection warm
      expect(rows).toHaveLength(1);
      await publishPayout(context, paid.studentId, paidAward, '2014-11', '2014-12-02T09:00:00Z');
      await publishPayout(context, paid.studentId, paidAward, '2015-06', '2015-06-20T12:00:00Z'); // after the exam
      void novemberPayout;

      // A failed payout is no stipend received (checked once a later event for the same key has applied).
      await publish(context, EventTypes.payoutFailed, neverAwarded.studentId, {
        ...payoutData(neverAwarded.studentId, randomUUID(), '2015-01', '2015-01-31T12:00:00Z'),
        providerTransactionId: undefined,
        reasonCode: 'PAYEE_NOT_FOUND',
        reason: 'the wallet does not exist',
      });
      const cutoffAward = await publishAward(context, paidAtCutoff.studentId);
      await publishPayout(context, paidAtCutoff.studentId, cutoffAward, '2015-05', '2015-06-15T00:00:00Z');
      const beforeAward = await publishAward(context, paidJustBefore.studentId);
      await publishPayout(context, paidJustBefore.studentId, beforeAward, '2015-05', '2015-06-14T23:59:59Z');
      const lateAward = await publishAward(context, awardedAfter.studentId, {
        awardedAt: '2015-07-01T08:00:00Z',
      });
      await publishPayout(context, awardedAfter.studentId, lateAward, '2015-07', '2015-07-31T12:00:00Z');
      const suspendedAward = await publishAward(context, suspendedLater.studentId);
      await publishPayout(
        context,
        suspendedLater.studentId,
        suspendedAward,
        '2015-01',
        '2015-01-31T12:00:00Z',
      );
      await publish(context, EventTypes.scholarshipSuspended, suspendedLater.studentId, {
        award: awardSnapshot(suspendedLater.studentId, {
          awardId: suspendedAward,
          version: 2,
          status: 'suspended',
        }),
        reason: 'student suspended',
        changedBy: 'programme-admin',
      });

      await waitForStudents(
        context,
        [
          paid,
          paidAtCutoff,
          paidJustBefore,
          neverAwarded,
          awardedAfter,
          paidLater,
          moved,
          suspendedLater,
        ].map((s) => s.studentId),
      );
      await waitForInbox(context, 'exams.students', 9);
      await waitForInbox(context, 'exams.awards', 6);
      await waitForInbox(context, 'exams.payouts', 9);
      // The same event again: the inbox has it, nothing changes.
      await publish(
        context,
        EventTypes.payoutSucceeded,
        paid.studentId,
        payoutData(paid.studentId, paidAward, '2014-12', '2014-12-31T12:00:00Z'),
        { id: redelivered },
      );

      sessionId = (await createSession(context, { code: 'IDE-RULES', examDate: '2015-06-15' })).id;
      for (const student of [
        paid,
        paidAtCutoff,
        paidJustBefore,
        neverAwarded,
        awardedAfter,
        paidLater,
        moved,
        suspendedLater,
      ]) {
        await record(sessionId, student.studentId, true);
      }
    });

    it('counts distinct months paid before the start of the exam day, for awards granted before it', async () => {
      const byStudent = await results(sessionId);
      expect(byStudent.get(paid.studentId)).toMatchObject({ recipient: true, stipendMonths: 3 });
      expect(byStudent.get(paidAtCutoff.studentId)).toMatchObject({ recipient: false, stipendMonths: 0 });
      expect(byStudent.get(paidJustBefore.studentId)).toMatchObject({ recipient: true, stipendMonths: 1 });
      expect(byStudent.get(neverAwarded.studentId)).toMatchObject({ recipient: false, stipendMonths: 0 });
      expect(byStudent.get(awardedAfter.studentId)).toMatchObject({ recipient: false, stipendMonths: 0 });
      expect(byStudent.get(suspendedLater.studentId)).toMatchObject({ recipient: true, stipendMonths: 1 });
      const { rows } = await context.db.query(
        `SELECT count(*)::int AS n FROM stipend_payouts WHERE student_id = $1`,
        [paid.studentId],
      );
      expect(rows[0].n).toBe(5);
      const inbox = await context.db.query(
        `SELECT count(*)::int AS n FROM inbox_events WHERE consumer = 'exams.payouts'`,
      );
      expect(inbox.rows[0].n).toBe(9);
    });

    it('ignores a stale student snapshot and follows later ones onto recorded results', async () => {
      expect((await results(sessionId)).get(moved.studentId)).toMatchObject({ schoolCode: 'BAMAKO-INFSS' });
      await publishStudent(context, { ...moved, schoolCode: 'MOPTI-IFSS', version: 3 });
      await waitFor(
        async () => (await results(sessionId)).get(moved.studentId)?.schoolCode === 'MOPTI-IFSS',
        {
          description: 'the result to follow the student to Mopti',
        },
      );
    });

    it('turns a non-recipient into a recipient when the award and payout events arrive after the result', async () => {
      expect((await results(sessionId)).get(paidLater.studentId)).toMatchObject({
        recipient: false,
        stipendMonths: 0,
      });
      const award = await publishAward(context, paidLater.studentId);
      await publishPayout(context, paidLater.studentId, award, '2015-03', '2015-03-31T12:00:00Z');
      await publishPayout(context, paidLater.studentId, award, '2015-04', '2015-04-30T12:00:00Z');
      await waitFor(async () => (await results(sessionId)).get(paidLater.studentId)?.stipendMonths === 2, {
        description: 'late payouts to make the student a recipient',
      });
      expect((await results(sessionId)).get(paidLater.studentId)).toMatchObject({ recipient: true });
    });

    it('dead-letters an event that breaks its contract and keeps consuming', async () => {
      const consumer = context.kafka.consumer({ groupId: 'exams-test-dlq', maxWaitTimeInMs: 200 });
      const letters: { reason: string }[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic: deadLetterTopic(Topics.payoutEvents), fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          letters.push({ reason: message.headers!['dlq-reason']!.toString() });
        },
      });
      try {
        const broken = { ...payoutData(neverAwarded.studentId, randomUUID(), '2015-02', 'yesterday') };
        await publish(context, EventTypes.payoutSucceeded, neverAwarded.studentId, broken);
        const letter = await waitFor(() => letters[0], { description: 'the dead letter' });
        expect(letter.reason).toContain('completedAt');
        const award = await publishAward(context, neverAwarded.studentId);
        await publishPayout(context, neverAwarded.studentId, award, '2015-02', '2015-02-28T12:00:00Z');
        await waitFor(
          async () => (await results(sessionId)).get(neverAwarded.studentId)?.recipient === true,
          {
            description: 'the next valid event to apply',
          },
        );
        // Same key, same partition: the failed payout published earlier was consumed before, and ignored.
        const payouts = await context.db.query(`SELECT month FROM stipend_payouts WHERE student_id = $1`, [
          neverAwarded.studentId,
        ]);
        expect(payouts.rows).toEqual([{ month: '2015-02' }]);
      } finally {
        await consumer.disconnect();
      }
    });
  });

  describe('pass rates on a known dataset (shared cases "a" and "d")', () => {
    let sessionId: string;
    const students: (StudentFacts & { recipient: boolean; passed: boolean; months: number })[] = [];
    const regions = ['Gao', 'Tombouctou', 'Kidal'];

    beforeAll(async () => {
      // Case d: three schools; collapsed over schools it is case a (128/200 against 58/200).
      const input = caseD.input.strata;
      for (const [school, counts] of Object.entries(input)) {
        for (const [group, recipient] of [
          ['recipients', true],
          ['non_recipients', false],
        ] as const) {
          const { passed, n } = counts[group];
          for (let i = 0; i < n; i++) {
            const months = recipient ? 1 + (students.length % 3) : 0;
            students.push({
              ...newStudent({
                schoolCode: school,
                regionOfOrigin: regions[students.length % 3],
                intakeYear: 2012 + (students.length % 2),
              }),
              recipient,
              passed: i < passed,
              months,
            });
          }
        }
      }
      const events: { type: EventType; subject: string; data: unknown }[] = [];
      for (const student of students) {
        events.push({
          type: EventTypes.studentRegistered,
          subject: student.studentId,
          data: { student: studentSnapshot(student) },
        });
      }
      let awards = 0;
      let payouts = 0;
      students.forEach((student, index) => {
        const award = awardSnapshot(student.studentId);
        if (student.recipient) {
          awards++;
          events.push({
            type: EventTypes.scholarshipAwarded,
            subject: student.studentId,
            data: { award, reason: 'eligible', changedBy: 'admin' },
          });
          for (let m = 0; m < student.months; m++) {
            payouts++;
            const month = `2015-0${m + 1}`;
            events.push({
              type: EventTypes.payoutSucceeded,
              subject: student.studentId,
              data: payoutData(student.studentId, award.awardId, month, `${month}-28T10:00:00Z`),
            });
          }
        } else if (index % 4 === 0) {
          // Awarded, but the first stipend arrived after the exam: still a non-recipient for this session.
          awards++;
          payouts++;
          events.push({
            type: EventTypes.scholarshipAwarded,
            subject: student.studentId,
            data: { award, reason: 'eligible', changedBy: 'admin' },
          });
          events.push({
            type: EventTypes.payoutSucceeded,
            subject: student.studentId,
            data: payoutData(student.studentId, award.awardId, '2015-06', '2015-06-30T10:00:00Z'),
          });
        }
      });
      const before = await context.db.query(
        `SELECT (SELECT count(*)::int FROM inbox_events WHERE consumer = 'exams.awards') AS awards, (SELECT count(*)::int FROM inbox_events WHERE consumer = 'exams.payouts') AS payouts`,
      );
      await publishMany(context, events);
      await waitForStudents(
        context,
        students.map((s) => s.studentId),
        60000,
      );
      await waitForInbox(context, 'exams.awards', before.rows[0].awards + awards, 60000);
      await waitForInbox(context, 'exams.payouts', before.rows[0].payouts + payouts, 60000);

      sessionId = (await createSession(context, { code: 'IDE-2015-CASE-D', examDate: '2015-06-15' })).id;
      const csv = [
        'student_id,result',
        ...students.map((s) => `${s.studentId},${s.passed ? 'pass' : 'fail'}`),
      ].join('\n');
      const upload = await request(context.url)
        .post('/api/v1/exam-result-imports')
        .set(await evaluator())
        .field('sessionId', sessionId)
        .attach('file', Buffer.from(csv), 'case-d.csv');
      expect(upload.status).toBe(202);
      await waitFor(
        async () => {
          const progress = await request(context.url)
            .get(`/api/v1/exam-result-imports/${upload.body.id}`)
            .set(await auditor());
          return progress.body.status === 'completed' ? progress.body : undefined;
        },
        { timeoutMs: 60000, description: 'the case-d import' },
      ).then((done: { rowsRecorded: number }) => expect(done.rowsRecorded).toBe(400));
    });

    it('reports the crude comparison exactly as R does for case "a"', async () => {
      const response = await request(context.url)
        .get(`/api/v1/evaluations/pass-rates?sessionId=${sessionId}&stratifyBy=school`)
        .set(await auditor());
      expect(response.status).toBe(200);
      const report = response.body;
      expect(report.session).toMatchObject({
        id: sessionId,
        code: 'IDE-2015-CASE-D',
        examDate: '2015-06-15',
      });
      expect(report.stratifyBy).toBe('school');
      expect(report.completeness).toMatchObject({ results: 400, resultsWithoutStudent: 0 });
      expect(report.groups.recipients).toMatchObject({ n: 200, passed: 128, failed: 72 });
      expect(report.groups.nonRecipients).toMatchObject({ n: 200, passed: 58, failed: 142 });
      closeInterval(report.groups.recipients.passRate, caseA.recipients.rate, caseA.recipients.wilson_95ci);
      closeInterval(
        report.groups.nonRecipients.passRate,
        caseA.non_recipients.rate,
        caseA.non_recipients.wilson_95ci,
      );
      const c = report.comparison;
      expect(c.table).toEqual({ a: 128, b: 72, c: 58, d: 142 });
      closeInterval(
        c.riskDifference,
        caseA.risk_difference.estimate,
        caseA.risk_difference.newcombe_hybrid_score_95ci,
      );
      closeInterval(c.relativeRisk, caseA.relative_risk.estimate, caseA.relative_risk.log_katz_95ci, 1e-4);
      closeInterval(c.oddsRatio, caseA.odds_ratio.sample_estimate, caseA.odds_ratio.woolf_logit_95ci);
      closeInterval(
        c.conditionalOddsRatio,
        caseA.odds_ratio.conditional_mle,
        caseA.odds_ratio.conditional_exact_95ci,
        CONDITIONAL_TOLERANCE,
      );
      closeTest(c.chiSquared.pearson, { ...caseA.chi_squared.pearson_no_correction, df: 1 });
      closeTest(c.chiSquared.yates, { ...caseA.chi_squared.yates_corrected, df: 1 });
      close(c.fisherExact.p, caseA.fisher_exact.p_two_sided);
      expect(c.expectedCounts).toEqual({
        estimable: true,
        minimum: caseA.chi_squared.min_expected_count,
        smallExpectedCounts: false,
      });
      expect(report.flags.map((f: { code: string }) => f.code)).toEqual([]);
      expect(report.definitions.stipendCutoff).toBe('2015-06-15T00:00:00.000Z');
      expect(JSON.stringify(report)).not.toMatch(/NaN|Infinity|null/);
    });

    it('reports the strata, Cochran–Mantel–Haenszel, Mantel–Haenszel and Breslow–Day as R does for case "d"', async () => {
      const { body } = await request(context.url)
        .get(`/api/v1/evaluations/pass-rates?sessionId=${sessionId}&stratifyBy=school`)
        .set(await evaluator());
      const strata = body.strata;
      expect(strata.strata.map((s: { label: string }) => s.label)).toEqual(['A', 'B', 'C']);
      expect(strata.informativeStrata).toBe(3);
      for (const stratum of strata.strata as {
        label: 'A' | 'B' | 'C';
        oddsRatio: Estimate;
        recipients: { n: number; passed: number };
      }[]) {
        close(stratum.oddsRatio.estimate, caseD.stratum_sample_or[stratum.label]);
        expect(stratum.recipients).toMatchObject({
          n: caseD.input.strata[stratum.label].recipients.n,
          passed: caseD.input.strata[stratum.label].recipients.passed,
        });
      }
      closeTest(strata.cochranMantelHaenszel.corrected, caseD.cmh_chisq_with_continuity_correction);
      closeTest(strata.cochranMantelHaenszel.uncorrected, caseD.cmh_chisq_no_correction);
      closeInterval(
        strata.mantelHaenszelOddsRatio,
        caseD.mantel_haenszel_common_or.estimate,
        caseD.mantel_haenszel_common_or.rbg_95ci,
      );
      close(strata.mantelHaenszelRiskRatio.estimate, caseD.mantel_haenszel_common_rr_point);
      closeTest(strata.breslowDay, caseD.breslow_day);
      closeTest(strata.breslowDayTarone, caseD.breslow_day_tarone);
      closeTest(strata.woolfHomogeneity, caseD.woolf_homogeneity);
      close(strata.exactConditional.test.p, caseD.exact_conditional_cmh.p_two_sided, CONDITIONAL_TOLERANCE);
      closeInterval(
        strata.exactConditional.commonOddsRatio,
        caseD.exact_conditional_cmh.conditional_mle_or,
        caseD.exact_conditional_cmh.exact_95ci,
        CONDITIONAL_TOLERANCE,
      );
    });

    it('breaks pass rates down by months of stipend received before the exam', async () => {
      const { body } = await request(context.url)
        .get(`/api/v1/evaluations/pass-rates?sessionId=${sessionId}`)
        .set(await programmeAdmin());
      const expected = new Map<number, { n: number; passed: number }>();
      for (const s of students) {
        const entry = expected.get(s.months) ?? { n: 0, passed: 0 };
        entry.n++;
        if (s.passed) entry.passed++;
        expected.set(s.months, entry);
      }
      expect(
        body.byMonths.map((m: { months: number; n: number; passed: number }) => [m.months, m.n, m.passed]),
      ).toEqual(
        [...expected.entries()].sort(([x], [y]) => x - y).map(([months, c]) => [months, c.n, c.passed]),
      );
      for (const entry of body.byMonths) expect(entry.passRate.estimable).toBe(true);
    });

    it('stratifies by region of origin and by intake year', async () => {
      const byRegion = await request(context.url)
        .get(`/api/v1/evaluations/pass-rates?sessionId=${sessionId}&stratifyBy=regionOfOrigin`)
        .set(await auditor());
      expect(byRegion.body.strata.strata.map((s: { label: string }) => s.label)).toEqual([
        'Gao',
        'Kidal',
        'Tombouctou',
      ]);
      const gao = students.filter((s) => s.regionOfOrigin === 'Gao');
      expect(byRegion.body.strata.strata[0].recipients.n).toBe(gao.filter((s) => s.recipient).length);
      expect(byRegion.body.groups.recipients.n).toBe(200);
      const byYear = await request(context.url)
        .get(`/api/v1/evaluations/pass-rates?sessionId=${sessionId}&stratifyBy=intakeYear`)
        .set(await auditor());
      expect(byYear.body.strata.strata.map((s: { label: string }) => s.label)).toEqual(['2012', '2013']);
      expect(
        byYear.body.strata.strata.reduce(
          (sum: number, s: { nonRecipients: { n: number } }) => sum + s.nonRecipients.n,
          0,
        ),
      ).toBe(200);
    });

    it('exports the evaluation as CSV', async () => {
      const response = await request(context.url)
        .get(`/api/v1/evaluations/pass-rates.csv?sessionId=${sessionId}&stratifyBy=school`)
        .set(await auditor());
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toBe(
        'attachment; filename="pass-rates-IDE-2015-CASE-D-by-school.csv"',
      );
      const lines = response.text.split('\r\n');
      expect(lines[0]).toBe(EVALUATION_CSV_COLUMNS.join(','));
      expect(lines[1]).toMatch(
        /^overall,,recipients,pass_rate,wilson,200,128,0\.64,0\.5714\d+,0\.7033\d+,,,,$/,
      );
      const cmh = lines.find((line) =>
        line.startsWith(
          'stratified,all strata,recipients vs non-recipients,cmh_chi_squared,continuity_corrected,',
        ),
      );
      expect(cmh).toBeDefined();
      close(Number(cmh!.split(',')[10]), caseD.cmh_chisq_with_continuity_correction.statistic);
      expect(lines.filter((line) => line.startsWith('stratum,'))).toHaveLength(9);
      expect(lines.filter((line) => line.startsWith('by_months,')).map((line) => line.split(',')[2])).toEqual(
        ['0 months', '1 month', '2 months', '3 months'],
      );
    });

    it('draws the comparison and the months breakdown as standalone SVG charts', async () => {
      const chart = await request(context.url)
        .get(`/api/v1/evaluations/pass-rates.svg?sessionId=${sessionId}`)
        .set(await auditor())
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => done(null, text));
        });
      expect(chart.status).toBe(200);
      expect(chart.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
      const svg = chart.body as string;
      expect(
        svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"'),
      ).toBe(true);
      expect(svg).toContain(
        'Pass rates, IDE-2015-CASE-D (2015-06-15): scholarship recipients vs non-recipients</text>',
      );
      expect(svg).toContain('>Pass rate (%)</text>');
      expect(svg).toContain('>Group (bars: pass rate; whiskers: Wilson 95% interval)</text>');
      expect(svg.match(/>n = 200<\/text>/g)).toHaveLength(2);
      expect(svg).toContain('>64.0%</text>');
      expect(svg).toContain('>29.0%</text>');
      expect(svg.match(/<rect class="bar"/g)).toHaveLength(2);

      const months = await request(context.url)
        .get(`/api/v1/evaluations/pass-rates.svg?sessionId=${sessionId}&view=months`)
        .set(await auditor())
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => done(null, text));
        });
      expect(months.body).toContain('>Months of stipend received before the exam</text>');
      expect((months.body as string).match(/<rect class="bar"/g)).toHaveLength(4);
      const badView = await request(context.url)
        .get(`/api/v1/evaluations/pass-rates.svg?sessionId=${sessionId}&view=pie`)
        .set(await auditor());
      expect(badView.status).toBe(400);
      expect(badView.body.errors).toEqual([{ field: 'view', problem: 'must be one of comparison, months' }]);
    });

    it('computes identical statistics from the same counts typed into two-by-two', async () => {
      const body = {
        strata: Object.entries(caseD.input.strata).map(([name, counts]) => ({
          name,
          recipients: { passed: counts.recipients.passed, total: counts.recipients.n },
          nonRecipients: { passed: counts.non_recipients.passed, total: counts.non_recipients.n },
        })),
      };
      const typed = await request(context.url)
        .post('/api/v1/evaluations/two-by-two')
        .set(await evaluator())
        .send(body);
      expect(typed.status).toBe(200);
      const fromResults = await request(context.url)
        .get(`/api/v1/evaluations/pass-rates?sessionId=${sessionId}&stratifyBy=school`)
        .set(await evaluator());
      expect(typed.body.groups).toEqual(fromResults.body.groups);
      expect(typed.body.comparison).toEqual(fromResults.body.comparison);
      expect(typed.body.strata).toEqual(fromResults.body.strata);
      expect(typed.body.byMonths).toBeUndefined();
    });
  });

  describe('pass-rates requests', () => {
    it('validates the query and the roles', async () => {
      const missing = await request(context.url)
        .get('/api/v1/evaluations/pass-rates')
        .set(await auditor());
      expect(missing.status).toBe(400);
      expect(missing.body.errors).toContainEqual({ field: 'sessionId', problem: 'is required' });
      const badStrata = await request(context.url)
        .get(`/api/v1/evaluations/pass-rates?sessionId=${randomUUID()}&stratifyBy=cadre`)
        .set(await auditor());
      expect(badStrata.status).toBe(400);
      expect(badStrata.body.errors).toEqual([
        { field: 'stratifyBy', problem: 'must be one of school, regionOfOrigin, intakeYear' },
      ]);
      const unknown = await request(context.url)
        .get(`/api/v1/evaluations/pass-rates?sessionId=${randomUUID()}`)
        .set(await auditor());
      expect(unknown.status).toBe(404);
      const forbidden = await request(context.url)
        .get(`/api/v1/evaluations/pass-rates?sessionId=${randomUUID()}`)
        .set(await as('finance-1', ['finance_approver']));
      expect(forbidden.status).toBe(403);
    });

    it('answers a session without results with every quantity "not estimable" and a flag', async () => {
      const sessionId = (await createSession(context, { code: 'IDE-EMPTY' })).id;
      const response = await request(context.url)
        .get(`/api/v1/evaluations/pass-rates?sessionId=${sessionId}`)
        .set(await auditor());
      expect(response.status).toBe(200);
      expect(response.body.groups.recipients).toMatchObject({ n: 0, passRate: { estimable: false } });
      expect(response.body.comparison.riskDifference).toEqual({
        estimable: false,
        reason: 'a risk difference needs results in both groups',
      });
      expect(response.body.flags.map((f: { code: string }) => f.code)).toEqual(['EMPTY_GROUP']);
      expect(JSON.stringify(response.body)).not.toMatch(/NaN|Infinity/);
      const csv = await request(context.url)
        .get(`/api/v1/evaluations/pass-rates.csv?sessionId=${sessionId}`)
        .set(await auditor());
      expect(csv.status).toBe(200);
      expect(csv.text).toContain('not estimable: a pass rate needs at least one result in the group');
    });
  });

  describe('two-by-two', () => {
    const gao = {
      name: 'Gao',
      recipients: { passed: 40, total: 60 },
      nonRecipients: { passed: 15, total: 50 },
    };

    it('computes the statistics for one stratum typed in', async () => {
      const response = await request(context.url)
        .post('/api/v1/evaluations/two-by-two')
        .set(await programmeAdmin())
        .send({ strata: [gao] });
      expect(response.status).toBe(200);
      expect(response.body.groups.recipients).toMatchObject({ n: 60, passed: 40 });
      close(response.body.comparison.oddsRatio.estimate, caseD.stratum_sample_or.A);
      expect(response.body.strata.strata.map((s: { label: string }) => s.label)).toEqual(['Gao']);
      expect(response.body.strata.breslowDay).toEqual({
        estimable: false,
        reason:
          'the Breslow–Day test needs at least two strata with both groups and both passes and failures',
      });
    });

    it('matches case "b" and flags its small expected counts so Fisher is trusted over chi-squared', async () => {
      const caseB = referenceCases.cases.b;
      const response = await request(context.url)
        .post('/api/v1/evaluations/two-by-two')
        .set(await auditor())
        .send({
          strata: [
            { name: 'small', recipients: { passed: 7, total: 10 }, nonRecipients: { passed: 2, total: 10 } },
          ],
        });
      expect(response.status).toBe(200);
      close(response.body.comparison.fisherExact.p, caseB.fisher_exact.p_two_sided);
      closeTest(response.body.comparison.chiSquared.yates, caseB.chi_squared.yates_corrected);
      const flag = response.body.flags.find((f: { code: string }) => f.code === 'SMALL_EXPECTED_COUNTS');
      expect(flag.message).toContain("trust Fisher's exact test");
      expect(response.body.comparison.expectedCounts.smallExpectedCounts).toBe(true);
    });

    it('gives the exact common odds ratio of strongly associated strata, never the search bound', async () => {
      // The observed total's central probability is below 1e-308; this once answered 1.0142e304
      // (exp(700)) with a zero-width interval, marked estimable. Expected: log-space convolution
      // in python + mpmath, as R's mantelhaen.test(exact = TRUE) defines it.
      const stratum = (name: string, passed: number, otherPassed: number) => ({
        name,
        recipients: { passed, total: 400 },
        nonRecipients: { passed: otherPassed, total: 400 },
      });
      const three = await request(context.url)
        .post('/api/v1/evaluations/two-by-two')
        .set(await evaluator())
        .send({ strata: [stratum('A', 380, 40), stratum('B', 370, 50), stratum('C', 390, 30)] });
      expect(three.status).toBe(200);
      const common = three.body.strata.exactConditional.commonOddsRatio as Estimate;
      expect(common.estimable).toBe(true);
      close(common.estimate, 168.37953479091394, 1e-4);
      close(common.ci95[0], 121.56113858163188, 1e-4);
      close(common.ci95[1], 236.56772581805535, 1e-4);

      const one = await request(context.url)
        .post('/api/v1/evaluations/two-by-two')
        .set(await evaluator())
        .send({
          strata: [
            {
              name: 'A',
              recipients: { passed: 950, total: 1000 },
              nonRecipients: { passed: 50, total: 1000 },
            },
          ],
        });
      expect(one.status).toBe(200);
      const single = one.body.strata.exactConditional.commonOddsRatio as Estimate;
      close(single.estimate, 357.5961232558102, 1e-4);
      close(single.ci95[0], 237.09759872634797, 1e-4);
      close(single.ci95[1], 551.1232076694941, 1e-4);
      close(single.estimate, one.body.comparison.conditionalOddsRatio.estimate, 1e-9);
    });

    it('says "not estimable" and why, never NaN or Infinity', async () => {
      const response = await request(context.url)
        .post('/api/v1/evaluations/two-by-two')
        .set(await evaluator())
        .send({
          strata: [
            {
              name: 'nobody passed',
              recipients: { passed: 0, total: 10 },
              nonRecipients: { passed: 0, total: 12 },
            },
            {
              name: 'no recipients',
              recipients: { passed: 0, total: 0 },
              nonRecipients: { passed: 3, total: 9 },
            },
          ],
        });
      expect(response.status).toBe(200);
      const body = response.body;
      expect(body.comparison.oddsRatio).toEqual({
        estimable: false,
        reason: 'an odds ratio needs every cell of the 2x2 table to be non-zero',
      });
      expect(body.comparison.relativeRisk).toEqual({
        estimable: false,
        reason: 'a relative risk and its log interval need at least one pass in each group',
      });
      expect(body.strata.mantelHaenszelOddsRatio.estimable).toBe(false);
      expect(body.strata.cochranMantelHaenszel.corrected.estimable).toBe(false);
      expect(body.strata.strata[1].recipients.passRate).toEqual({
        estimable: false,
        reason: 'a pass rate needs at least one result in the group',
      });
      expect(body.flags.map((f: { code: string }) => f.code)).toContain('NON_INFORMATIVE_STRATA');
      const text = JSON.stringify(body);
      expect(text).not.toMatch(/NaN|Infinity|null/);
    });

    it('refuses impossible counts with a 400 naming the field', async () => {
      const send = async (body: unknown) =>
        request(context.url)
          .post('/api/v1/evaluations/two-by-two')
          .set(await evaluator())
          .send(body as object);

      const tooMany = await send({ strata: [{ ...gao, nonRecipients: { passed: 51, total: 50 } }] });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.code).toBe('EVALUATION.INVALID_COUNTS');
      expect(tooMany.body.errors).toEqual([
        {
          field: 'strata[0].nonRecipients.passed',
          problem: 'must not exceed strata[0].nonRecipients.total (51 passed of 50)',
        },
      ]);

      const negative = await send({ strata: [{ ...gao, recipients: { passed: 1, total: -3 } }] });
      expect(negative.status).toBe(400);
      expect(negative.body.errors).toEqual([
        { field: 'strata[0].recipients.total', problem: 'must not be negative' },
      ]);

      const tooLarge = await send({ strata: [{ ...gao, recipients: { passed: 1, total: 1_000_001 } }] });
      expect(tooLarge.status).toBe(400);
      expect(tooLarge.body.errors).toEqual([
        { field: 'strata[0].recipients.total', problem: 'must not exceed 1000000' },
      ]);

      const fractional = await send({ strata: [{ ...gao, recipients: { passed: 1.5, total: 3 } }] });
      expect(fractional.body.errors).toEqual([
        { field: 'strata[0].recipients.passed', problem: 'must be a whole number' },
      ]);

      const missing = await send({ strata: [{ name: 'Gao', recipients: { passed: 1, total: 3 } }] });
      expect(missing.status).toBe(400);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('strata[0].nonRecipients');

      const repeated = await send({ strata: [gao, { ...gao, name: ' Gao ' }] });
      expect(repeated.body.errors).toEqual([
        {
          field: 'strata[1].name',
          problem: 'repeats the name of strata[0] ("Gao"); each stratum must be given once',
        },
      ]);

      const empty = await send({ strata: [] });
      expect(empty.body.errors).toEqual([{ field: 'strata', problem: 'must hold at least one stratum' }]);

      const notArray = await send({ strata: 'Gao' });
      expect(notArray.status).toBe(400);
      expect(notArray.body.errors.map((e: { field: string }) => e.field)).toContain('strata');

      const unknownField = await send({ strata: [{ ...gao, n: 3 }] });
      expect(unknownField.body.errors).toEqual([{ field: 'strata[0].n', problem: 'is not a known field' }]);

      const malformed = await request(context.url)
        .post('/api/v1/evaluations/two-by-two')
        .set(await evaluator())
        .set('content-type', 'application/json')
        .send('{"strata": [');
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe('REQUEST.MALFORMED_JSON');

      const forbidden = await request(context.url)
        .post('/api/v1/evaluations/two-by-two')
        .set(await as('school-1', ['school_admin']))
        .send({ strata: [gao] });
      expect(forbidden.status).toBe(403);
    });
  });

  it('keeps the evaluation counts equal to the result rows', async () => {
    await expectCountsMatchResults(context);
  });
});
