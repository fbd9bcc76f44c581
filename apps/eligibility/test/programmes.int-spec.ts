import { EventTypes, Topics } from '@scholarpay/contracts';
import { waitFor } from '@scholarpay/testing';
import {
  admin,
  auditor,
  EligibilityTestKit,
  programmeBody,
  startEligibilityTestKit,
  studentSnapshot,
} from './eligibility-test-kit';

describe('eligibility: programmes over HTTP', () => {
  let kit: EligibilityTestKit;

  beforeAll(async () => {
    kit = await startEligibilityTestKit({ name: 'programmes', redisDb: 4 });
  });

  afterAll(async () => {
    await kit?.stop();
  });

  async function programmeCount(): Promise<number> {
    const { rows } = await kit.db.query('SELECT count(*)::int AS count FROM eligibility.programmes');
    return rows[0].count;
  }

  it('creates a programme, announces it keyed by programme id, and lists it', async () => {
    const body = programmeBody({
      code: 'GAO-NURSING-2014',
      ranking: [{ fact: 'intakeYear', direction: 'asc' }],
    });
    const created = await kit
      .http()
      .post('/api/v1/programmes')
      .set(await kit.as(admin))
      .send(body);
    expect(created.status).toBe(201);
    const programme = created.body.programme;
    expect(programme).toMatchObject({
      code: 'GAO-NURSING-2014',
      monthlyStipend: 25000,
      currency: 'XOF',
      firstMonth: '2014-10',
      lastMonth: '2015-06',
      budget: 22500000,
      maxAwards: 100,
      rules: body.rules,
      ranking: [{ fact: 'intakeYear', direction: 'asc' }],
      rulesVersion: 1,
      version: 1,
      awardsHeld: 0,
      remainingBudget: 22500000,
      placesLeft: 100,
      newAwards: { possible: 100, startMonth: '2014-10', costPerAward: 225000, blockedBecause: null },
      createdBy: admin.sub,
    });
    expect(created.body.evaluation).toMatchObject({
      status: 'queued',
      cause: 'programme_created',
      requestedBy: admin.sub,
    });
    await kit.waitForJob(programme.programmeId, created.body.evaluation.jobId);

    await kit.drained();
    const [defined] = kit.eventsOf(EventTypes.programmeDefined, programme.programmeId);
    expect(defined.data).toEqual({
      programme: {
        programmeId: programme.programmeId,
        version: 1,
        code: 'GAO-NURSING-2014',
        name: body.name,
        monthlyStipend: 25000,
        firstMonth: '2014-10',
        lastMonth: '2015-06',
        budget: 22500000,
        maxAwards: 100,
      },
    });
    const { rows } = await kit.db.query(
      'SELECT topic, message_key FROM eligibility.outbox_events WHERE event_id = $1',
      [defined.id],
    );
    expect(rows[0]).toEqual({ topic: Topics.programmeEvents, message_key: programme.programmeId });

    const list = await kit
      .http()
      .get('/api/v1/programmes')
      .set(await kit.as(auditor));
    expect(list.status).toBe(200);
    expect(list.body.map((entry: { code: string }) => entry.code)).toContain('GAO-NURSING-2014');

    const one = await kit
      .http()
      .get(`/api/v1/programmes/${programme.programmeId}`)
      .set(await kit.as({ sub: 'fin-1', roles: ['finance_preparer'] }));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      code: 'GAO-NURSING-2014',
      awardsByStatus: { active: 0, suspended: 0, revoked: 0 },
      decisions: { decided: 0, eligible: 0, waitingForAPlace: 0 },
      ruleHistory: [{ rulesVersion: 1, reason: 'programme created', changedBy: admin.sub }],
      latestEvaluation: { status: 'completed', processed: 0, total: 0 },
    });
  });

  it('refuses a second programme with the same code (409) and writes nothing', async () => {
    const before = await programmeCount();
    const response = await kit
      .http()
      .post('/api/v1/programmes')
      .set(await kit.as(admin))
      .send(programmeBody({ code: 'GAO-NURSING-2014' }));
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({
      code: 'PROGRAMME.CODE_TAKEN',
      message: 'a programme with code GAO-NURSING-2014 already exists',
    });
    expect(await programmeCount()).toBe(before);
  });

  it('names the JSON path of a bad rule and the known facts', async () => {
    const rules = {
      all: [
        { fact: 'status', operator: 'equal', value: 'enrolled' },
        { fact: 'intakeYear', operator: 'greaterThanInclusive', value: 2013 },
        { fact: 'regionOrigin', operator: 'in', value: ['Gao'] },
      ],
    };
    const before = await programmeCount();
    const response = await kit
      .http()
      .post('/api/v1/programmes')
      .set(await kit.as(admin))
      .send(programmeBody({ rules }));
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('PROGRAMME.INVALID');
    expect(response.body.errors).toEqual([
      {
        field: 'rules.all[2].fact',
        problem: expect.stringMatching(
          /^unknown fact "regionOrigin" \(did you mean "regionOfOrigin"\?\); known facts: regionOfOrigin, programmeOfStudy, status,/,
        ),
      },
    ]);
    expect(response.body.message).toContain('rules.all[2].fact: unknown fact "regionOrigin"');
    expect(await programmeCount()).toBe(before);
  });

  it('checks months, amounts, budget, ranking and unknown fields, each by name', async () => {
    const headers = await kit.as(admin);
    const cases: [Record<string, unknown>, { field: string; problem: RegExp }][] = [
      [
        { firstMonth: '2015-07', lastMonth: '2015-06' },
        { field: 'lastMonth', problem: /must not be before firstMonth/ },
      ],
      [{ firstMonth: '2014-13' }, { field: 'firstMonth', problem: /YYYY-MM/ }],
      [
        { lastMonth: '2014-08', firstMonth: '2014-01' },
        { field: 'lastMonth', problem: /has passed \(this month is 2014-09\)/ },
      ],
      [{ monthlyStipend: 25000.5 }, { field: 'monthlyStipend', problem: /whole number of XOF francs/ }],
      [{ monthlyStipend: '25000' }, { field: 'monthlyStipend', problem: /whole number of XOF francs/ }],
      [{ monthlyStipend: 0 }, { field: 'monthlyStipend', problem: /positive/ }],
      [{ budget: 20000 }, { field: 'budget', problem: /at least one month's stipend \(25 000 FCFA\)/ }],
      [{ maxAwards: 0 }, { field: 'maxAwards', problem: /must not be less than 1/ }],
      [{ code: 'gao 2014' }, { field: 'code', problem: /upper-case/ }],
      [{ rules: undefined }, { field: 'rules', problem: /is required/ }],
      [{ rules: ['status'] }, { field: 'rules', problem: /must be a condition group/ }],
      [
        { ranking: [{ fact: 'needScore', direction: 'desc' }] },
        { field: 'ranking[0].fact', problem: /unknown ranking fact "needScore"/ },
      ],
      [{ budgett: 1 }, { field: 'budgett', problem: /is not a known field/ }],
    ];
    const before = await programmeCount();
    for (const [overrides, expected] of cases) {
      const response = await kit
        .http()
        .post('/api/v1/programmes')
        .set(headers)
        .send(programmeBody(overrides));
      expect({ overrides, status: response.status }).toEqual({ overrides, status: 400 });
      expect(response.body.errors).toEqual(
        expect.arrayContaining([{ field: expected.field, problem: expect.stringMatching(expected.problem) }]),
      );
    }
    expect(await programmeCount()).toBe(before);

    const malformed = await kit
      .http()
      .post('/api/v1/programmes')
      .set(headers)
      .set('Content-Type', 'application/json')
      .send('{"code": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('REQUEST.MALFORMED_JSON');
  });

  it('refuses amounts and places past their caps before anything is written or announced', async () => {
    const headers = await kit.as(admin);
    const unsafe = Number.MAX_SAFE_INTEGER;
    const months = { firstMonth: '2027-01', lastMonth: '2027-06' };
    const cases: [Record<string, unknown>, { field: string; problem: RegExp }[]][] = [
      [
        { monthlyStipend: unsafe, budget: unsafe, ...months },
        [
          { field: 'monthlyStipend', problem: /^must be at most 1 000 000 000 000 FCFA/ },
          { field: 'budget', problem: /^must be at most 1 000 000 000 000 FCFA/ },
        ],
      ],
      [
        { monthlyStipend: 200_000_000_000, budget: 1_000_000_000_000, ...months },
        [
          {
            field: 'monthlyStipend',
            problem: /is 1 200 000 000 000 FCFA for one award; at most 1 000 000 000 000 FCFA$/,
          },
        ],
      ],
      [{ maxAwards: 99999999999999 }, [{ field: 'maxAwards', problem: /^must be at most 1000000 places/ }]],
      [{ maxAwards: 2147483648 }, [{ field: 'maxAwards', problem: /^must be at most 1000000 places/ }]],
    ];
    const before = await programmeCount();
    const { rows: outboxBefore } = await kit.db.query(
      'SELECT count(*)::int AS count FROM eligibility.outbox_events',
    );
    for (const [overrides, expected] of cases) {
      const response = await kit
        .http()
        .post('/api/v1/programmes')
        .set(headers)
        .send(programmeBody(overrides));
      expect({ overrides, status: response.status }).toEqual({ overrides, status: 400 });
      expect(response.body.errors).toEqual(
        expected.map(({ field, problem }) => ({ field, problem: expect.stringMatching(problem) })),
      );
    }
    expect(await programmeCount()).toBe(before);
    const { rows: outboxAfter } = await kit.db.query(
      'SELECT count(*)::int AS count FROM eligibility.outbox_events',
    );
    expect(outboxAfter[0].count).toBe(outboxBefore[0].count);

    // At the caps a programme is made, and it reads back with exact figures.
    const atCaps = await kit
      .http()
      .post('/api/v1/programmes')
      .set(headers)
      .send(
        programmeBody({
          monthlyStipend: 100_000_000_000,
          firstMonth: '2027-01',
          lastMonth: '2027-10',
          budget: 1_000_000_000_000,
          maxAwards: 1_000_000,
        }),
      );
    expect(atCaps.status).toBe(201);
    const reader = await kit.as(auditor);
    expect((await kit.http().get('/api/v1/programmes').set(reader)).status).toBe(200);
    const one = await kit.http().get(`/api/v1/programmes/${atCaps.body.programme.programmeId}`).set(reader);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      budget: 1_000_000_000_000,
      remainingBudget: 1_000_000_000_000,
      newAwards: { possible: 1, startMonth: '2027-01', costPerAward: 1_000_000_000_000 },
    });
    await kit.waitForJob(atCaps.body.programme.programmeId, atCaps.body.evaluation.jobId);
  });

  it('lets only programme administrators write, and the readers read', async () => {
    expect((await kit.http().post('/api/v1/programmes').send(programmeBody())).status).toBe(401);
    expect(
      (
        await kit
          .http()
          .post('/api/v1/programmes')
          .set(await kit.as(auditor))
          .send(programmeBody())
      ).status,
    ).toBe(403);
    expect(
      (
        await kit
          .http()
          .get('/api/v1/programmes')
          .set(await kit.as({ sub: 'school-1', roles: ['school_admin'] }))
      ).status,
    ).toBe(403);
    expect(
      (
        await kit
          .http()
          .get('/api/v1/programmes')
          .set(await kit.as({ sub: 'eval-1', roles: ['evaluator'] }))
      ).status,
    ).toBe(200);
  });

  it('answers 404 for an unknown programme and 400 for a malformed id', async () => {
    const headers = await kit.as(auditor);
    const missing = await kit
      .http()
      .get('/api/v1/programmes/7d3f1a52-8a43-4f4e-9d0b-3c6f0b7c2a11')
      .set(headers);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('PROGRAMME.NOT_FOUND');
    const malformed = await kit.http().get('/api/v1/programmes/not-an-id').set(headers);
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([{ field: 'id', problem: 'must be a UUID' }]);
  });

  it('refuses rule values no student can have, and writes school codes as enrolment stores them', async () => {
    const school = 'AUD-ENROL2';
    const { programmeId, jobId } = await kit.createProgramme({
      rules: { all: [{ fact: 'schoolCode', operator: 'equal', value: school }] },
    });
    await kit.waitForJob(programmeId, jobId);
    const holders = [studentSnapshot({ schoolCode: school }), studentSnapshot({ schoolCode: school })];
    for (const student of holders) {
      await kit.publishStudent(EventTypes.studentRegistered, student);
      await kit.waitForStudentVersion(student.studentId, 1);
    }
    await kit.drained();
    const live = async () =>
      (
        await kit.db.query(
          `SELECT count(*)::int AS count FROM eligibility.awards WHERE programme_id = $1 AND status = 'active'`,
          [programmeId],
        )
      ).rows[0].count;
    expect(await live()).toBe(2);

    const headers = await kit.as(admin);
    const put = (rules: unknown) =>
      kit.http().put(`/api/v1/programmes/${programmeId}/rules`).set(headers).send({ rules, reason: 'audit' });
    const refused = await put({
      all: [
        { fact: 'regionOfOrigin', operator: 'in', value: ['Gao', 'Menaka'] },
        { any: [{ fact: 'programmeOfStudy', operator: 'equal', value: 'Nursing' }] },
        { fact: 'schoolCode', operator: 'equal', value: 'aud enrol 2' },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 'PROGRAMME.RULES_INVALID',
      errors: [
        {
          field: 'rules.all[0].value',
          problem: expect.stringMatching(
            /^\[1\] "Menaka" is not a possible regionOfOrigin \(did you mean "Ménaka"\?\); possible values: Bamako, /,
          ),
        },
        {
          field: 'rules.all[1].any[0].value',
          problem: expect.stringMatching(
            /^"Nursing" is not a possible programmeOfStudy \(did you mean "nursing"\?\); possible values: nursing, midwifery, /,
          ),
        },
        {
          field: 'rules.all[2].value',
          problem: expect.stringMatching(/^"aud enrol 2" can never be a schoolCode/),
        },
      ],
    });

    // Lower case means the same school: the rule is kept upper case and revokes nobody.
    const accepted = await put({ all: [{ fact: 'schoolCode', operator: 'equal', value: 'aud-enrol2' }] });
    expect(accepted.status).toBe(202);
    const job = await kit.waitForJob(programmeId, accepted.body.jobId);
    expect(job).toMatchObject({ status: 'completed', changed: { awardsRevoked: 0, becameIneligible: 0 } });
    expect(await live()).toBe(2);
    const programme = await kit
      .http()
      .get(`/api/v1/programmes/${programmeId}`)
      .set(await kit.as(auditor));
    expect(programme.body.rules).toEqual({ all: [{ fact: 'schoolCode', operator: 'equal', value: school }] });
  });

  it("pages a programme's awards, and answers 400 for a limit out of range or a cursor it never gave", async () => {
    const school = 'SCN-PAGES';
    const { programmeId, jobId } = await kit.createProgramme({
      rules: { all: [{ fact: 'schoolCode', operator: 'equal', value: school }] },
    });
    await kit.waitForJob(programmeId, jobId);
    for (let index = 0; index < 3; index++) {
      const student = studentSnapshot({ schoolCode: school });
      await kit.publishStudent(EventTypes.studentRegistered, student);
      await kit.waitForStudentVersion(student.studentId, 1);
    }
    const reader = await kit.as(auditor);
    const page = (query: Record<string, string>) =>
      kit.http().get(`/api/v1/programmes/${programmeId}/awards`).query(query).set(reader);
    await waitFor(async () => (await page({})).body.items?.length === 3, { description: 'three awards' });

    const first = await page({ limit: '2' });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    const second = await page({ limit: '2', cursor: first.body.nextCursor });
    expect(second.body).toMatchObject({ items: [expect.any(Object)], nextCursor: null });

    for (const limit of ['0', '501', '-1', '1.5', 'ten', '99999999999999', '2147483648']) {
      const response = await page({ limit });
      expect({ limit, status: response.status }).toEqual({ limit, status: 400 });
      expect(response.body.errors).toEqual([
        { field: 'limit', problem: 'must be a whole number from 1 to 500' },
      ]);
    }
    const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const awardId = '7d3f1a52-8a43-4f4e-9d0b-3c6f0b7c2a11';
    for (const cursor of [
      'not-a-cursor',
      cursorOf(['1', awardId]),
      cursorOf(['+275760-09-13T00:00:00.000Z', awardId]),
      cursorOf(['2014-09-15T10:00:00.000Z', '------------------------------------']),
      cursorOf(['2014-09-15T10:00:00.000Z', awardId, 'extra']),
      cursorOf({ awardedAt: '2014-09-15T10:00:00.000Z', awardId }),
    ]) {
      const response = await page({ cursor });
      expect({ cursor, status: response.status }).toEqual({ cursor, status: 400 });
      expect(response.body).toMatchObject({
        code: 'AWARD.INVALID_CURSOR',
        errors: [{ field: 'cursor', problem: 'is not a cursor from a previous page' }],
      });
    }
  });

  it("names the scholars of a programme's awards to programme staff and auditors, never to evaluators", async () => {
    const school = 'SCN-NAMES';
    const { programmeId, jobId } = await kit.createProgramme({
      rules: { all: [{ fact: 'schoolCode', operator: 'equal', value: school }] },
    });
    await kit.waitForJob(programmeId, jobId);
    const student = studentSnapshot({ schoolCode: school, firstName: 'Aïssata', lastName: 'Maïga' });
    await kit.publishStudent(EventTypes.studentRegistered, student);
    await kit.waitForStudentVersion(student.studentId, 1);
    const list = async (roles: string[]) =>
      kit
        .http()
        .get(`/api/v1/programmes/${programmeId}/awards`)
        .set(await kit.as({ sub: `reader-${roles.join('-')}`, roles: roles as never }));
    await waitFor(async () => (await list(['auditor'])).body.items?.length === 1, {
      description: 'one award',
    });

    for (const roles of [['auditor'], ['programme_admin'], ['finance_preparer'], ['evaluator', 'auditor']]) {
      const [item] = (await list(roles)).body.items;
      expect(item).toMatchObject({ studentId: student.studentId, firstName: 'Aïssata', lastName: 'Maïga' });
    }
    const asEvaluator = await list(['evaluator']);
    expect(asEvaluator.status).toBe(200);
    const [item] = asEvaluator.body.items;
    expect(item).toMatchObject({ studentId: student.studentId, schoolCode: school, status: 'active' });
    expect(item).not.toHaveProperty('firstName');
    expect(item).not.toHaveProperty('lastName');
    expect(item).not.toHaveProperty('statusReason');
    expect(JSON.stringify(asEvaluator.body)).not.toMatch(/Aïssata|Maïga/);
  });

  it('replaces the rules with a reason (202 and a job to poll), and refuses bad rules with their path', async () => {
    const { programmeId } = await kit.createProgramme();
    const headers = await kit.as(admin);
    const bad = await kit
      .http()
      .put(`/api/v1/programmes/${programmeId}/rules`)
      .set(headers)
      .send({
        rules: { any: [{ fact: 'intakeYear', operator: 'greaterThanInclusive', value: '2013' }] },
        reason: 'typo',
      });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      code: 'PROGRAMME.RULES_INVALID',
      errors: [{ field: 'rules.any[0].value', problem: expect.stringContaining('whole number') }],
    });

    const noReason = await kit
      .http()
      .put(`/api/v1/programmes/${programmeId}/rules`)
      .set(headers)
      .send({ rules: { all: [{ fact: 'status', operator: 'equal', value: 'enrolled' }] } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'reason' })]),
    );

    const accepted = await kit
      .http()
      .put(`/api/v1/programmes/${programmeId}/rules`)
      .set(headers)
      .send({
        rules: { all: [{ fact: 'status', operator: 'equal', value: 'enrolled' }] },
        reason: 'open to every enrolled student',
      });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({
      programmeId,
      rulesVersion: 2,
      status: 'queued',
      cause: 'rules_changed',
      requestedBy: admin.sub,
    });
    expect(accepted.body.progressUrl).toBe(
      `/api/v1/programmes/${programmeId}/evaluations/${accepted.body.jobId}`,
    );
    await kit.waitForJob(programmeId, accepted.body.jobId);

    const programme = await kit
      .http()
      .get(`/api/v1/programmes/${programmeId}`)
      .set(await kit.as(auditor));
    expect(programme.body.rulesVersion).toBe(2);
    expect(programme.body.ruleHistory.map((entry: { reason: string }) => entry.reason)).toEqual([
      'open to every enrolled student',
      'programme created',
    ]);

    const missing = await kit
      .http()
      .put('/api/v1/programmes/7d3f1a52-8a43-4f4e-9d0b-3c6f0b7c2a11/rules')
      .set(headers)
      .send({ rules: { all: [{ fact: 'status', operator: 'equal', value: 'enrolled' }] }, reason: 'x' });
    expect(missing.status).toBe(404);

    await waitFor(
      async () =>
        (
          await kit
            .http()
            .get(`/api/v1/programmes/${programmeId}/evaluations`)
            .set(await kit.as(auditor))
        ).body.length === 2,
      {
        description: 'both evaluations listed',
      },
    );
  });
});
