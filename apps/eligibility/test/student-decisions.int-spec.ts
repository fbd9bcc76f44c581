import {
  buildEnvelope,
  DeadLetterHeaders,
  deadLetterTopic,
  EventTypes,
  StudentSnapshot,
  Topics,
} from '@scholarpay/contracts';
import { waitFor } from '@scholarpay/testing';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import {
  admin,
  auditor,
  EligibilityTestKit,
  startEligibilityTestKit,
  studentSnapshot,
} from './eligibility-test-kit';
import { addMonths } from '../src/programmes/year-month';

/**
 * Student events in, decisions and awards out, over the embedded broker. Each scenario has its own
 * programme whose rules require the scenario's school code, so scenarios do not take each other's
 * places (every student is still decided in every programme, as in production).
 */
describe('eligibility: student events in, decisions and awards out', () => {
  let kit: EligibilityTestKit;

  beforeAll(async () => {
    kit = await startEligibilityTestKit({ name: 'decisions', redisDb: 4 });
  });

  afterAll(async () => {
    await kit?.stop();
  });

  function rulesFor(school: string) {
    return {
      all: [
        { fact: 'schoolCode', operator: 'equal', value: school },
        {
          fact: 'regionOfOrigin',
          operator: 'in',
          value: ['Gao', 'Tombouctou', 'Kidal', 'Ménaka', 'Taoudénit'],
        },
        { fact: 'status', operator: 'equal', value: 'enrolled' },
        { fact: 'intakeYear', operator: 'greaterThanInclusive', value: 2013 },
      ],
    };
  }

  async function programmeFor(school: string, terms: Record<string, unknown> = {}): Promise<string> {
    const { programmeId, jobId } = await kit.createProgramme({
      code: school,
      rules: rulesFor(school),
      ...terms,
    });
    await kit.waitForJob(programmeId, jobId);
    return programmeId;
  }

  async function send(
    type: Parameters<EligibilityTestKit['publishStudent']>[0],
    student: StudentSnapshot,
    extra: Record<string, unknown> = {},
  ) {
    const envelope = await kit.publishStudent(type, student, extra);
    await kit.waitForStudentVersion(student.studentId, student.version);
    return envelope;
  }

  async function eligibility(studentId: string, programmeId: string) {
    const response = await kit
      .http()
      .get(`/api/v1/students/${studentId}/eligibility`)
      .set(await kit.as(auditor));
    expect(response.status).toBe(200);
    return response.body.programmes.find(
      (entry: { programmeId: string }) => entry.programmeId === programmeId,
    );
  }

  function awardEvents(programmeId: string, studentId: string) {
    return kit
      .events()
      .filter(
        (event) =>
          event.type.startsWith('scholarpay.eligibility.scholarship.') &&
          event.subject === studentId &&
          event.data.award.programmeId === programmeId,
      );
  }

  function decisionEvents(programmeId: string, studentId: string) {
    return kit
      .eventsOf(EventTypes.eligibilityDecided, studentId)
      .filter((event) => event.data.programmeId === programmeId);
  }

  async function committedOf(programmeId: string) {
    const { rows } = await kit.db.query(
      `SELECT p.awards_held, p.committed_amount::int AS committed,
         (SELECT count(*)::int FROM eligibility.awards a WHERE a.programme_id = p.programme_id AND a.status <> 'revoked') AS live,
         (SELECT coalesce(sum(committed_amount), 0)::int FROM eligibility.awards a WHERE a.programme_id = p.programme_id) AS summed
       FROM eligibility.programmes p WHERE programme_id = $1`,
      [programmeId],
    );
    return rows[0];
  }

  it('decides arriving students, explains each rule in words, and awards while places last', async () => {
    const school = 'SCN-PLACES';
    const programmeId = await programmeFor(school, { maxAwards: 2 });
    const aminata = studentSnapshot({
      schoolCode: school,
      regionOfOrigin: 'Gao',
      enrolledAt: '2014-10-01T08:00:00.000Z',
    });
    const boubacar = studentSnapshot({
      schoolCode: school,
      regionOfOrigin: 'Bamako',
      intakeYear: 2012,
      sex: 'M',
      firstName: 'Boubacar',
    });
    const fatoumata = studentSnapshot({
      schoolCode: school,
      regionOfOrigin: 'Kidal',
      enrolledAt: '2014-10-02T08:00:00.000Z',
    });
    const sekou = studentSnapshot({
      schoolCode: school,
      regionOfOrigin: 'Tombouctou',
      firstName: 'Sékou',
      enrolledAt: '2014-10-03T08:00:00.000Z',
    });
    for (const student of [aminata, boubacar, fatoumata, sekou])
      await send(EventTypes.studentRegistered, student);
    await kit.drained();

    const [boubacarDecision] = decisionEvents(programmeId, boubacar.studentId);
    expect(boubacarDecision.data).toMatchObject({
      programmeId,
      programmeCode: school,
      studentId: boubacar.studentId,
      eligible: false,
      overridden: false,
    });
    expect(boubacarDecision.data.outcomes).toEqual([
      { rule: `all[0] schoolCode equal ${school}`, passed: true, explanation: `school code is ${school}` },
      {
        rule: 'all[1] regionOfOrigin in [Gao, Tombouctou, Kidal, Ménaka, Taoudénit]',
        passed: false,
        explanation: 'region of origin Bamako is not one of Gao, Tombouctou, Kidal, Ménaka, Taoudénit',
      },
      { rule: 'all[2] status equal enrolled', passed: true, explanation: 'status is enrolled' },
      {
        rule: 'all[3] intakeYear greaterThanInclusive 2013',
        passed: false,
        explanation: 'intake year 2012 is not at least 2013',
      },
    ]);
    expect(awardEvents(programmeId, boubacar.studentId)).toEqual([]);

    // First come, first served: Aminata and Fatoumata take the two places; Sékou waits.
    for (const student of [aminata, fatoumata]) {
      const [decided] = decisionEvents(programmeId, student.studentId);
      expect(decided.data.eligible).toBe(true);
      const [awarded] = awardEvents(programmeId, student.studentId);
      expect(awarded.type).toBe(EventTypes.scholarshipAwarded);
      expect(awarded.subject).toBe(student.studentId);
      expect(awarded.data).toMatchObject({
        award: {
          version: 1,
          programmeId,
          programmeCode: school,
          studentId: student.studentId,
          monthlyStipend: 25000,
          firstMonth: '2014-10',
          lastMonth: '2015-06',
          status: 'active',
        },
        changedBy: 'system',
        reason: expect.stringContaining('eligible: every rule is met'),
      });
    }
    expect(decisionEvents(programmeId, sekou.studentId)[0].data.eligible).toBe(true);
    expect(awardEvents(programmeId, sekou.studentId)).toEqual([]);

    const sekouView = await eligibility(sekou.studentId, programmeId);
    expect(sekouView).toMatchObject({
      decision: { eligible: true, rulesEligible: true, overridden: false, rulesVersion: 1 },
      explanation: { summary: 'Eligible: every rule is met.', upToDate: true, rulesVersion: 1 },
      award: null,
    });
    expect(sekouView.waiting).toBe('no award yet: every place of the programme is taken');
    const boubacarView = await eligibility(boubacar.studentId, programmeId);
    expect(boubacarView.explanation.summary).toBe(
      'Not eligible: region of origin Bamako is not one of Gao, Tombouctou, Kidal, Ménaka, Taoudénit; intake year 2012 is not at least 2013.',
    );
    expect(boubacarView.explanation.outcomes[1]).toEqual({
      path: 'all[1]',
      rule: 'regionOfOrigin in [Gao, Tombouctou, Kidal, Ménaka, Taoudénit]',
      passed: false,
      explanation: 'region of origin Bamako is not one of Gao, Tombouctou, Kidal, Ménaka, Taoudénit',
    });

    const awards = await kit
      .http()
      .get(`/api/v1/programmes/${programmeId}/awards`)
      .set(await kit.as(auditor));
    expect(awards.status).toBe(200);
    expect(awards.body.items.map((item: { studentId: string }) => item.studentId).sort()).toEqual(
      [aminata.studentId, fatoumata.studentId].sort(),
    );
    expect(await committedOf(programmeId)).toEqual({
      awards_held: 2,
      committed: 450000,
      live: 2,
      summed: 450000,
    });

    // Suspension keeps the place; return reinstates; withdrawal revokes and frees the place for Sékou.
    await send(
      EventTypes.studentStatusChanged,
      { ...aminata, version: 2, status: 'suspended' },
      { from: 'enrolled', reason: 'unpaid fees' },
    );
    await send(
      EventTypes.studentStatusChanged,
      { ...aminata, version: 3, status: 'enrolled' },
      { from: 'suspended', reason: 'fees paid' },
    );
    await send(
      EventTypes.studentStatusChanged,
      { ...fatoumata, version: 2, status: 'withdrawn' },
      { from: 'enrolled', reason: 'moved to Niamey' },
    );
    await kit.drained();

    expect(
      awardEvents(programmeId, aminata.studentId).map((event) => [
        event.type,
        event.data.award.version,
        event.data.award.status,
        event.data.changedBy,
        event.data.reason,
      ]),
    ).toEqual([
      [EventTypes.scholarshipAwarded, 1, 'active', 'system', expect.any(String)],
      [
        EventTypes.scholarshipSuspended,
        2,
        'suspended',
        'system',
        'student suspended (school-admin-1 in enrolment: unpaid fees)',
      ],
      [
        EventTypes.scholarshipReinstated,
        3,
        'active',
        'system',
        'student enrolled again (school-admin-1 in enrolment: fees paid)',
      ],
    ]);
    const aminataAwardIds = new Set(
      awardEvents(programmeId, aminata.studentId).map((event) => event.data.award.awardId),
    );
    expect(aminataAwardIds.size).toBe(1);
    expect(
      awardEvents(programmeId, fatoumata.studentId).map((event) => [
        event.type,
        event.data.award.version,
        event.data.award.status,
        event.data.reason,
      ]),
    ).toEqual([
      [EventTypes.scholarshipAwarded, 1, 'active', expect.any(String)],
      [
        EventTypes.scholarshipRevoked,
        2,
        'revoked',
        'student withdrew (school-admin-1 in enrolment: moved to Niamey)',
      ],
    ]);
    const [sekouAward] = awardEvents(programmeId, sekou.studentId);
    expect(sekouAward).toMatchObject({
      type: EventTypes.scholarshipAwarded,
      data: { award: { status: 'active', version: 1 } },
    });
    // Fatoumata's months up to the revocation stay committed (September 2014 is before her first month: none).
    expect(await committedOf(programmeId)).toEqual({
      awards_held: 2,
      committed: 450000,
      live: 2,
      summed: 450000,
    });

    const aminataView = await eligibility(aminata.studentId, programmeId);
    expect(
      aminataView.award.history.map((entry: { transition: string; changedBy: string }) => [
        entry.transition,
        entry.changedBy,
      ]),
    ).toEqual([
      ['grant', 'system'],
      ['suspend', 'system'],
      ['reinstate', 'system'],
    ]);
    const fatoumataView = await eligibility(fatoumata.studentId, programmeId);
    expect(fatoumataView.award).toBeNull();
    expect(fatoumataView.earlierAwards).toEqual([
      expect.objectContaining({ status: 'revoked', statusChangedBy: 'system' }),
    ]);

    // Graduation leaves the award to run to its last month.
    const before = awardEvents(programmeId, aminata.studentId).length;
    await send(
      EventTypes.studentStatusChanged,
      { ...aminata, version: 4, status: 'graduated' },
      { from: 'enrolled', reason: 'diploma' },
    );
    await kit.drained();
    expect(awardEvents(programmeId, aminata.studentId)).toHaveLength(before);
    expect((await eligibility(aminata.studentId, programmeId)).award).toMatchObject({
      status: 'active',
      lastMonth: '2015-06',
    });
    expect(decisionEvents(programmeId, aminata.studentId).map((event) => event.data.eligible)).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });

  it('changes nothing when an event is delivered again or an older snapshot arrives after a newer one', async () => {
    const school = 'SCN-ORDER';
    const programmeId = await programmeFor(school);
    const student = studentSnapshot({ schoolCode: school, regionOfOrigin: 'Ménaka' });
    const registered = await send(EventTypes.studentRegistered, student);
    await kit.drained();
    expect(awardEvents(programmeId, student.studentId)).toHaveLength(1);
    const eventsBefore = kit.events().length;
    const { rows: inboxBefore } = await kit.db.query(
      'SELECT count(*)::int AS count FROM eligibility.inbox_events',
    );

    // The same event again: the inbox has its id; nothing happens.
    await kit.republish(registered);
    // A newer snapshot (version 3): moved to Bamako, no longer eligible: the award is revoked.
    const moved = { ...student, version: 3, regionOfOrigin: 'Bamako' };
    await send(EventTypes.studentUpdated, moved, {
      changes: { regionOfOrigin: { from: 'Ménaka', to: 'Bamako' } },
    });
    // The older snapshot (version 2, still Ménaka) arrives late: it must not roll the student back.
    await kit.publishStudent(
      EventTypes.studentUpdated,
      { ...student, version: 2, intakeYear: 2015 },
      { changes: { intakeYear: { from: 2014, to: 2015 } } },
    );
    await kit.waitForInboxCount(inboxBefore[0].count + 2);
    await kit.drained();

    const { rows } = await kit.db.query(
      'SELECT version, region_of_origin, intake_year FROM eligibility.students WHERE student_id = $1',
      [student.studentId],
    );
    expect(rows[0]).toEqual({ version: 3, region_of_origin: 'Bamako', intake_year: 2014 });
    expect(
      awardEvents(programmeId, student.studentId).map((event) => [event.type, event.data.award.version]),
    ).toEqual([
      [EventTypes.scholarshipAwarded, 1],
      [EventTypes.scholarshipRevoked, 2],
    ]);
    const [, revoked] = awardEvents(programmeId, student.studentId);
    expect(revoked.data.reason).toBe(
      `no longer eligible for ${school}: region of origin Bamako is not one of Gao, Tombouctou, Kidal, Ménaka, Taoudénit`,
    );
    expect(decisionEvents(programmeId, student.studentId).map((event) => event.data.eligible)).toEqual([
      true,
      false,
    ]);
    // Only the newer snapshot produced events (one decision per programme, one revocation).
    expect(kit.events().length - eventsBefore).toBe(2);
    const { rows: duplicates } = await kit.db.query(
      'SELECT count(*)::int AS count FROM eligibility.inbox_events WHERE event_id = $1',
      [registered.id],
    );
    expect(duplicates[0].count).toBe(1);
  });

  it('stops awarding when the budget for the remaining months runs out, counting from the current month', async () => {
    // Started in January 2014; this month is September 2014: an award now pays September to December (4 months).
    const school = 'SCN-BUDGET';
    const programmeId = await programmeFor(school, {
      firstMonth: '2014-01',
      lastMonth: '2014-12',
      monthlyStipend: 30000,
      budget: 200000,
      maxAwards: null,
    });
    const first = studentSnapshot({ schoolCode: school });
    const second = studentSnapshot({ schoolCode: school });
    await send(EventTypes.studentRegistered, first);
    await send(EventTypes.studentRegistered, second);
    await kit.drained();
    const [award] = awardEvents(programmeId, first.studentId);
    expect(award.data.award).toMatchObject({
      firstMonth: '2014-09',
      lastMonth: '2014-12',
      monthlyStipend: 30000,
    });
    // 4 × 30 000 = 120 000 committed; the 80 000 left cannot pay the next student's four months.
    expect(awardEvents(programmeId, second.studentId)).toEqual([]);
    expect(await committedOf(programmeId)).toEqual({
      awards_held: 1,
      committed: 120000,
      live: 1,
      summed: 120000,
    });
    expect((await eligibility(second.studentId, programmeId)).waiting).toBe(
      "no award yet: the programme's remaining budget does not cover the stipend for the remaining months",
    );
    const programme = await kit
      .http()
      .get(`/api/v1/programmes/${programmeId}`)
      .set(await kit.as(auditor));
    expect(programme.body).toMatchObject({
      remainingBudget: 80000,
      placesLeft: null,
      newAwards: { possible: 0, startMonth: '2014-09', costPerAward: 120000 },
      decisions: { waitingForAPlace: 1 },
    });
  });

  /** The months each award of the student in the programme covers (may be paid for), as stored. */
  async function monthsCovered(programmeId: string, studentId: string): Promise<string[][]> {
    const { rows } = await kit.db.query(
      `SELECT first_month, LEAST(CASE WHEN status = 'revoked' THEN revoked_in_month END, last_month) AS through
         FROM eligibility.awards WHERE programme_id = $1 AND student_id = $2`,
      [programmeId, studentId],
    );
    return rows.map((row: { first_month: string; through: string }) => {
      const months: string[] = [];
      for (let month = row.first_month; month <= row.through; month = addMonths(month, 1)) months.push(month);
      return months;
    });
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

  it('never covers a month twice for one student: a re-granted award starts after the months a revoked one kept', async () => {
    // This month is 2014-09, the programme's first: award A pays 2014-09 from the start.
    const school = 'SCN-REGRANT';
    const programmeId = await programmeFor(school, {
      firstMonth: '2014-09',
      lastMonth: '2015-06',
      monthlyStipend: 1000,
      budget: 1000 * 10 * 3,
      maxAwards: 3,
    });
    const student = studentSnapshot({ schoolCode: school });
    await send(EventTypes.studentRegistered, student);
    await kit.drained();
    expect(awardEvents(programmeId, student.studentId)[0].data.award.firstMonth).toBe('2014-09');

    // Revoked in 2014-09: A keeps 2014-09 (it may have been paid). Forced eligible again in the same
    // month: award B starts in 2014-10, not 2014-09, so payments cannot pay 2014-09 a second time.
    await override(programmeId, student.studentId, 'ineligible');
    const regranted = await override(programmeId, student.studentId, 'eligible');
    expect(regranted.award).toMatchObject({ status: 'active', firstMonth: '2014-10', lastMonth: '2015-06' });
    expect(regranted.waiting).toBeNull();
    await kit.drained();
    const events = awardEvents(programmeId, student.studentId);
    // The revoked event names its month of revocation: payments pays A for it, B starting the month after.
    expect(
      events.map((event) => [event.type, event.data.award.firstMonth, event.data.award.revokedInMonth]),
    ).toEqual([
      [EventTypes.scholarshipAwarded, '2014-09', undefined],
      [EventTypes.scholarshipRevoked, '2014-09', '2014-09'],
      [EventTypes.scholarshipAwarded, '2014-10', undefined],
    ]);
    expect(events[2].data.reason).toContain(
      'from 2014-10 to 2015-06 (an earlier award covers the months through 2014-09)',
    );
    expect(await committedOf(programmeId)).toEqual({
      awards_held: 1,
      committed: 10000,
      live: 1,
      summed: 10000,
    });

    // Withdrawn and enrolled again in the same month: B is revoked before its first month (it covers
    // nothing), and award C also starts in 2014-10. The budget counts 2014-09 once.
    await send(
      EventTypes.studentStatusChanged,
      { ...student, version: 2, status: 'withdrawn' },
      { reason: 'left' },
    );
    await send(
      EventTypes.studentStatusChanged,
      { ...student, version: 3, status: 'enrolled' },
      { from: 'withdrawn', reason: 'came back' },
    );
    await kit.drained();
    const third = awardEvents(programmeId, student.studentId).at(-1)!;
    expect(third.type).toBe(EventTypes.scholarshipAwarded);
    expect(third.data.award.firstMonth).toBe('2014-10');
    const covered = await monthsCovered(programmeId, student.studentId);
    // The clock is stopped, so the three awards share one awarded_at: compare them as a set.
    expect(covered.map((months) => months.length).sort()).toEqual([0, 1, 9]);
    const everyMonth = covered.flat();
    expect(new Set(everyMonth).size).toBe(everyMonth.length);
    // One student, ten months of 1 000 XOF at most: never 2 000 for one month.
    expect(await committedOf(programmeId)).toEqual({
      awards_held: 1,
      committed: 10000,
      live: 1,
      summed: 10000,
    });
  });

  it('grants no award, and says why, when earlier awards already cover the programme to its last month', async () => {
    const school = 'SCN-COVERED';
    const programmeId = await programmeFor(school, {
      firstMonth: '2014-09',
      lastMonth: '2014-09',
      monthlyStipend: 1000,
      budget: 5000,
      maxAwards: 5,
    });
    const student = studentSnapshot({ schoolCode: school });
    const other = studentSnapshot({ schoolCode: school, regionOfOrigin: 'Bamako' });
    await send(EventTypes.studentRegistered, student);
    await send(EventTypes.studentRegistered, other);
    await kit.drained();
    await override(programmeId, student.studentId, 'ineligible');
    const regranted = await override(programmeId, student.studentId, 'eligible');
    const why =
      "no award: an earlier award of this student in the programme already covers every month up to the programme's last month, and a month is paid only once";
    expect(regranted).toMatchObject({ award: null, waiting: why, awardChanges: { grant: 0 } });
    // The student is not in the way of anyone else: the next eligible student is still served.
    const otherForced = await override(programmeId, other.studentId, 'eligible');
    expect(otherForced.award).toMatchObject({ firstMonth: '2014-09', lastMonth: '2014-09' });
    await kit.drained();
    expect(awardEvents(programmeId, student.studentId).map((event) => event.type)).toEqual([
      EventTypes.scholarshipAwarded,
      EventTypes.scholarshipRevoked,
    ]);
    const view = await eligibility(student.studentId, programmeId);
    expect(view).toMatchObject({ decision: { eligible: true, overridden: true }, award: null, waiting: why });
    const programme = await kit
      .http()
      .get(`/api/v1/programmes/${programmeId}`)
      .set(await kit.as(auditor));
    expect(programme.body).toMatchObject({ committedAmount: 2000, decisions: { waitingForAPlace: 0 } });
  });

  it('lets a programme administrator override a decision, with the reason audited and shown', async () => {
    const school = 'SCN-OVERRIDE';
    const programmeId = await programmeFor(school, { maxAwards: 1 });
    const displaced = studentSnapshot({ schoolCode: school, regionOfOrigin: 'Bamako' });
    const holder = studentSnapshot({ schoolCode: school, regionOfOrigin: 'Gao' });
    await send(EventTypes.studentRegistered, displaced);
    await send(EventTypes.studentRegistered, holder);
    await kit.drained();
    expect(awardEvents(programmeId, holder.studentId)).toHaveLength(1);

    const url = `/api/v1/programmes/${programmeId}/overrides`;
    const noReason = await kit
      .http()
      .post(url)
      .set(await kit.as(admin))
      .send({ studentId: displaced.studentId, decision: 'eligible', reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([
      { field: 'reason', problem: 'must say why the decision is forced' },
    ]);
    const wrongRole = await kit
      .http()
      .post(url)
      .set(await kit.as(auditor))
      .send({ studentId: displaced.studentId, decision: 'eligible', reason: 'x' });
    expect(wrongRole.status).toBe(403);
    const unknown = await kit
      .http()
      .post(url)
      .set(await kit.as(admin))
      .send({ studentId: '7d3f1a52-8a43-4f4e-9d0b-3c6f0b7c2a11', decision: 'eligible', reason: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('STUDENT.NOT_FOUND');
    const badDecision = await kit
      .http()
      .post(url)
      .set(await kit.as(admin))
      .send({ studentId: displaced.studentId, decision: 'maybe', reason: 'x' });
    expect(badDecision.status).toBe(400);

    // Forced eligible: the only place is taken, so the student waits.
    const reason = 'Displaced from Kidal in 2012; enrolment recorded the host family region';
    const forced = await kit
      .http()
      .post(url)
      .set(await kit.as(admin))
      .send({ studentId: displaced.studentId, decision: 'eligible', reason });
    expect(forced.status).toBe(201);
    expect(forced.body).toMatchObject({
      override: { decision: 'eligible', reason, createdBy: admin.sub },
      replaced: null,
      decision: { eligible: true, rulesEligible: false, overridden: true },
      award: null,
    });
    expect(forced.body.decision.summary).toContain(`Eligible by override of ${admin.sub}`);

    // Forcing the holder ineligible revokes their award (by the administrator) and the place goes to the waiting student.
    const revoked = await kit
      .http()
      .post(url)
      .set(await kit.as(admin))
      .send({
        studentId: holder.studentId,
        decision: 'ineligible',
        reason: 'duplicate scholarship from another programme',
      });
    expect(revoked.status).toBe(201);
    expect(revoked.body.awardChanges).toMatchObject({ revoke: 1, grant: 1 });
    await kit.drained();

    const holderAwards = awardEvents(programmeId, holder.studentId);
    expect(holderAwards.map((event) => event.type)).toEqual([
      EventTypes.scholarshipAwarded,
      EventTypes.scholarshipRevoked,
    ]);
    expect(holderAwards[1].data).toMatchObject({
      changedBy: admin.sub,
      reason: `forced ineligible by ${admin.sub}: duplicate scholarship from another programme`,
    });
    const [displacedAward] = awardEvents(programmeId, displaced.studentId);
    expect(displacedAward.data).toMatchObject({
      changedBy: admin.sub,
      reason: expect.stringContaining('eligible by override'),
    });

    const decided = decisionEvents(programmeId, displaced.studentId).at(-1)!;
    expect(decided.data).toMatchObject({ eligible: true, overridden: true });
    expect(decided.data.outcomes.at(-1)).toEqual({
      rule: 'override',
      passed: true,
      explanation: expect.stringMatching(
        new RegExp(`^forced eligible by ${admin.sub} on \\d{4}-\\d{2}-\\d{2}: ${reason}$`),
      ),
    });
    const view = await eligibility(displaced.studentId, programmeId);
    expect(view.override).toMatchObject({ decision: 'eligible', reason, createdBy: admin.sub });
    expect(view.explanation.outcomes.at(-1)).toMatchObject({ path: 'override', passed: true });
    expect(view.explanation.summary).toMatch(
      /^Eligible by override of .*; the rules alone say not eligible: region of origin Bamako is not one of/,
    );
    expect(view.award).toMatchObject({ status: 'active' });

    const { rows } = await kit.db.query(
      'SELECT decision, reason, created_by FROM eligibility.overrides WHERE programme_id = $1 ORDER BY created_at',
      [programmeId],
    );
    expect(rows).toEqual([
      { decision: 'eligible', reason, created_by: admin.sub },
      {
        decision: 'ineligible',
        reason: 'duplicate scholarship from another programme',
        created_by: admin.sub,
      },
    ]);

    // A later student event does not undo the override: it stays in force.
    await send(EventTypes.studentUpdated, { ...displaced, version: 2, firstName: 'Mariam' });
    await kit.drained();
    expect((await eligibility(displaced.studentId, programmeId)).decision).toMatchObject({
      eligible: true,
      overridden: true,
    });
    expect(awardEvents(programmeId, displaced.studentId)).toHaveLength(1);
  });

  it('parks an event that breaks the contract on the dead-letter topic, with the reason, and carries on', async () => {
    const kafka = new Kafka({
      clientId: 'eligibility-dlq-reader',
      brokers: [kit.broker.address],
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}` });
    const parked: { key: string | undefined; reason: string | undefined }[] = [];
    try {
      await producer.connect();
      const broken = studentSnapshot({ schoolCode: 'SCN-DLQ' });
      const envelope = buildEnvelope({
        source: '/scholarpay/enrolment',
        type: EventTypes.studentRegistered,
        subject: broken.studentId,
        data: { student: { ...broken, intakeYear: 'soon' } },
      });
      await producer.send({
        topic: Topics.studentEvents,
        messages: [{ key: broken.studentId, value: JSON.stringify(envelope) }],
      });
      await consumer.connect();
      await consumer.subscribe({ topic: deadLetterTopic(Topics.studentEvents), fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          parked.push({
            key: message.key?.toString(),
            reason: message.headers?.[DeadLetterHeaders.reason]?.toString(),
          });
        },
      });
      const after = studentSnapshot({ schoolCode: 'SCN-DLQ' });
      await send(EventTypes.studentRegistered, after);
      await waitFor(() => parked.some((entry) => entry.key === broken.studentId), {
        timeoutMs: 30000,
        description: 'the broken event on the dead-letter topic',
      });
      expect(parked.find((entry) => entry.key === broken.studentId)!.reason).toContain('student.intakeYear');
      const { rows } = await kit.db.query(
        'SELECT count(*)::int AS count FROM eligibility.students WHERE student_id = $1',
        [broken.studentId],
      );
      expect(rows[0].count).toBe(0);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });

  it('lets a school administrator read only their own students', async () => {
    const student = studentSnapshot({
      schoolCode: 'SCN-SCHOOL',
      schoolId: '11111111-2222-4333-8444-555555555555',
    });
    await send(EventTypes.studentRegistered, student);
    const own = await kit
      .http()
      .get(`/api/v1/students/${student.studentId}/eligibility`)
      .set(await kit.as({ sub: 'sa-1', roles: ['school_admin'], schoolIds: [student.schoolId] }));
    expect(own.status).toBe(200);
    expect(own.body.facts).not.toHaveProperty('nationalId');
    expect(own.body.facts).not.toHaveProperty('phone');
    const other = await kit
      .http()
      .get(`/api/v1/students/${student.studentId}/eligibility`)
      .set(
        await kit.as({
          sub: 'sa-2',
          roles: ['school_admin'],
          schoolIds: ['0f0b6c9e-2b7a-4a53-8f0e-6f1d9a1c3b22'],
        }),
      );
    expect(other.status).toBe(403);
    const unknown = await kit
      .http()
      .get('/api/v1/students/7d3f1a52-8a43-4f4e-9d0b-3c6f0b7c2a11/eligibility')
      .set(await kit.as(auditor));
    expect(unknown.status).toBe(404);
  });
});
