import {
  deadLetterTopic,
  DeadLetterHeaders,
  EventTypes,
  StudentSnapshot,
  Topics,
} from '@scholarpay/contracts';
import { waitFor } from '@scholarpay/testing';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { fixedClock } from '../src/shared/clock';
import {
  admin,
  auditor,
  EligibilityTestKit,
  startEligibilityTestKit,
  studentSnapshot,
} from './eligibility-test-kit';

/**
 * Payments' successful payouts in: eligibility records the months each award was paid for, and a
 * revoked award keeps committing every month paid (the money is out), so no place or award is ever
 * made on money already paid.
 */
describe('eligibility: payouts in, months paid kept committed', () => {
  let kit: EligibilityTestKit;

  beforeAll(async () => {
    // December 2026, the programme's first month.
    kit = await startEligibilityTestKit({
      name: 'payouts',
      redisDb: 4,
      clock: fixedClock('2026-12-10T09:00:00Z'),
    });
  });

  afterAll(async () => {
    await kit?.stop();
  });

  async function programmeFor(school: string, terms: Record<string, unknown>): Promise<string> {
    const { programmeId, jobId } = await kit.createProgramme({
      code: school,
      rules: {
        all: [
          { fact: 'schoolCode', operator: 'equal', value: school },
          { fact: 'status', operator: 'equal', value: 'enrolled' },
        ],
      },
      ...terms,
    });
    await kit.waitForJob(programmeId, jobId);
    return programmeId;
  }

  async function register(school: string, firstName: string): Promise<StudentSnapshot> {
    const student = studentSnapshot({ schoolCode: school, firstName });
    await kit.publishStudent(EventTypes.studentRegistered, student);
    await kit.waitForStudentVersion(student.studentId, 1);
    return student;
  }

  async function awardOf(programmeId: string, studentId: string) {
    const { rows } = await kit.db.query(
      `SELECT award_id AS "awardId", status, first_month AS "firstMonth", committed_amount::int AS committed
         FROM eligibility.awards WHERE programme_id = $1 AND student_id = $2 ORDER BY awarded_at DESC`,
      [programmeId, studentId],
    );
    return rows[0] as { awardId: string; status: string; firstMonth: string; committed: number } | undefined;
  }

  async function money(programmeId: string) {
    const { rows } = await kit.db.query(
      `SELECT p.awards_held AS "awardsHeld", p.committed_amount::int AS committed,
         (SELECT coalesce(sum(committed_amount), 0)::int FROM eligibility.awards a WHERE a.programme_id = p.programme_id) AS summed
       FROM eligibility.programmes p WHERE programme_id = $1`,
      [programmeId],
    );
    return rows[0] as { awardsHeld: number; committed: number; summed: number };
  }

  async function paidMonths(awardId: string): Promise<string[]> {
    const { rows } = await kit.db.query(
      'SELECT month FROM eligibility.award_paid_months WHERE award_id = $1 ORDER BY month',
      [awardId],
    );
    return rows.map((row: { month: string }) => row.month);
  }

  async function waitForPaidMonths(awardId: string, count: number): Promise<void> {
    await waitFor(async () => (await paidMonths(awardId)).length >= count, {
      timeoutMs: 30000,
      description: `${count} months paid recorded for award ${awardId}`,
    });
  }

  async function pay(programmeId: string, student: StudentSnapshot, months: string[]) {
    const award = (await awardOf(programmeId, student.studentId))!;
    const envelopes = [];
    for (const month of months) {
      envelopes.push(
        await kit.publishPayout({
          programmeId,
          awardId: award.awardId,
          studentId: student.studentId,
          month,
          amount: 10000,
        }),
      );
    }
    return { award, envelopes };
  }

  async function override(programmeId: string, studentId: string, decision: 'eligible' | 'ineligible') {
    const response = await kit
      .http()
      .post(`/api/v1/programmes/${programmeId}/overrides`)
      .set(await kit.as(admin))
      .send({ studentId, decision, reason: `forced ${decision} for the audit` });
    expect(response.status).toBe(201);
    return response.body;
  }

  it('keeps a revoked award committed through the months already paid, so its money is not awarded again', async () => {
    // 10 000 a month, 2026-12 to 2027-02, budget 70 000, 2 places: Aminata and Coumba hold 60 000.
    const school = 'PAID-AHEAD';
    const programmeId = await programmeFor(school, {
      monthlyStipend: 10000,
      firstMonth: '2026-12',
      lastMonth: '2027-02',
      budget: 70000,
      maxAwards: 2,
    });
    const aminata = await register(school, 'Aminata');
    const coumba = await register(school, 'Coumba');
    const boubacar = await register(school, 'Boubacar');
    expect(await money(programmeId)).toEqual({ awardsHeld: 2, committed: 60000, summed: 60000 });

    // Payments paid every month of both awards in advance; one event is delivered twice.
    const paidAminata = await pay(programmeId, aminata, ['2026-12', '2027-01', '2027-02']);
    await pay(programmeId, coumba, ['2026-12', '2027-01', '2027-02']);
    await kit.republish(paidAminata.envelopes[1], Topics.payoutEvents);
    await waitForPaidMonths(paidAminata.award.awardId, 3);
    await waitForPaidMonths((await awardOf(programmeId, coumba.studentId))!.awardId, 3);
    expect(await paidMonths(paidAminata.award.awardId)).toEqual(['2026-12', '2027-01', '2027-02']);
    // A live award commits its months whether paid or not: nothing moves.
    expect(await money(programmeId)).toEqual({ awardsHeld: 2, committed: 60000, summed: 60000 });

    // Aminata is made ineligible in 2026-12: her award frees its place but keeps the 30 000 paid out,
    // so the 10 000 left cannot pay Boubacar's three months.
    const revoked = await override(programmeId, aminata.studentId, 'ineligible');
    expect(revoked.awardChanges).toMatchObject({ revoke: 1, grant: 0 });
    expect(await awardOf(programmeId, aminata.studentId)).toMatchObject({
      status: 'revoked',
      committed: 30000,
    });
    expect(await money(programmeId)).toEqual({ awardsHeld: 1, committed: 60000, summed: 60000 });
    expect(await awardOf(programmeId, boubacar.studentId)).toBeUndefined();
    const view = await kit
      .http()
      .get(`/api/v1/students/${boubacar.studentId}/eligibility`)
      .set(await kit.as(auditor));
    expect(
      view.body.programmes.find((entry: { programmeId: string }) => entry.programmeId === programmeId),
    ).toMatchObject({
      award: null,
      waiting:
        "no award yet: the programme's remaining budget does not cover the stipend for the remaining months",
    });

    // Made eligible again, Aminata gets nothing: every month was paid under her earlier award.
    const again = await override(programmeId, aminata.studentId, 'eligible');
    expect(again).toMatchObject({ award: null, awardChanges: { grant: 0 } });
    expect(again.waiting).toMatch(/^no award: an earlier award/);
  });

  it('grows a revoked award’s commitment when a payout beyond it still arrives, and says when that overspends the budget', async () => {
    // Budget 40 000, one place: Awa holds 30 000; Binta waits.
    const school = 'PAID-LATE';
    const programmeId = await programmeFor(school, {
      monthlyStipend: 10000,
      firstMonth: '2026-12',
      lastMonth: '2027-02',
      budget: 40000,
      maxAwards: 1,
    });
    const awa = await register(school, 'Awa');
    const binta = await register(school, 'Binta');
    const awaAward = (await awardOf(programmeId, awa.studentId))!;

    // Awa leaves in 2026-12, nothing paid yet: her award keeps December (10 000) and Binta takes the
    // place with 30 000: 40 000, the whole budget.
    await kit.publishStudent(EventTypes.studentStatusChanged, { ...awa, version: 2, status: 'withdrawn' });
    await kit.waitForStudentVersion(awa.studentId, 2);
    expect(await awardOf(programmeId, binta.studentId)).toMatchObject({ status: 'active', committed: 30000 });
    expect(await money(programmeId)).toEqual({ awardsHeld: 1, committed: 40000, summed: 40000 });

    // A batch approved before the withdrawal reached payments still pays Awa's January: the money is
    // out, so her award now commits December and January, 10 000 beyond the budget.
    await kit.publishPayout({
      programmeId,
      awardId: awaAward.awardId,
      studentId: awa.studentId,
      month: '2027-01',
      amount: 10000,
    });
    await waitForPaidMonths(awaAward.awardId, 1);
    expect(await awardOf(programmeId, awa.studentId)).toMatchObject({ status: 'revoked', committed: 20000 });
    expect(await money(programmeId)).toEqual({ awardsHeld: 1, committed: 50000, summed: 50000 });
    const metrics = await kit.http().get('/metrics');
    expect(metrics.text).toMatch(/^eligibility_payouts_beyond_budget_total(\{[^}]*\})? 1$/m);
    const programme = await kit
      .http()
      .get(`/api/v1/programmes/${programmeId}`)
      .set(await kit.as(auditor));
    expect(programme.body).toMatchObject({
      committedAmount: 50000,
      remainingBudget: -10000,
      newAwards: { possible: 0 },
    });
  });

  it('parks a payout of an award it does not know on the dead-letter topic, with the reason', async () => {
    const kafka = new Kafka({
      clientId: 'eligibility-payout-dlq',
      brokers: [kit.broker.address],
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `payout-dlq-reader-${randomUUID()}` });
    const parked: { key?: string; reason?: string }[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: deadLetterTopic(Topics.payoutEvents), fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          parked.push({
            key: message.key?.toString(),
            reason: message.headers?.[DeadLetterHeaders.reason]?.toString(),
          });
        },
      });
      const studentId = randomUUID();
      await kit.publishPayout({
        programmeId: randomUUID(),
        awardId: randomUUID(),
        studentId,
        month: '2026-12',
        amount: 10000,
      });
      await waitFor(() => parked.some((entry) => entry.key === studentId), {
        timeoutMs: 30000,
        description: 'the unknown payout on the dead-letter topic',
      });
      expect(parked.find((entry) => entry.key === studentId)!.reason).toMatch(/unprocessable: .*programme/);
    } finally {
      await consumer.disconnect();
    }
  });
});
