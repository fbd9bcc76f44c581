import { EventTypes, Topics, validateEvent } from '@scholarpay/contracts';
import { bearer, waitFor } from '@scholarpay/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ConcurrentStudentChangeError, StudentRepository } from '../src/students/student.repository';
import { EnrolmentHarness } from './enrolment-harness';

type Headers = { Authorization: string };
/** The fields of a student answer these tests read. */
type StudentBody = {
  id: string;
  nationalId: string;
  schoolCode: string;
  phone: string | null;
  operator: string | null;
  [field: string]: unknown;
};

describe('enrolment: schools and students over HTTP, events on Kafka', () => {
  let harness: EnrolmentHarness;
  let programmeAdmin: Headers;
  let gaoAdmin: Headers;
  let auditor: Headers;
  let evaluator: Headers;
  let preparer: Headers;
  let gao: { id: string; code: string };
  let kidal: { id: string; code: string };
  let sequence = 0;

  const api = () => request(harness.url);

  /** A valid new student; each call gets its own national id and phone. */
  function newStudent(overrides: Record<string, unknown> = {}) {
    sequence += 1;
    return {
      nationalId: `ML-T${String(sequence).padStart(4, '0')}`,
      firstName: 'Aïssata',
      lastName: "N'Diaye",
      sex: 'F',
      dateOfBirth: '1996-03-14',
      regionOfOrigin: 'Gao',
      schoolCode: 'ESS-GAO',
      programmeOfStudy: 'nursing',
      intakeYear: 2014,
      phone: `76 ${String(100000 + sequence).slice(0, 2)} ${String(100000 + sequence).slice(2, 4)} ${String(100000 + sequence).slice(4, 6)}`,
      ...overrides,
    };
  }

  async function enrol(overrides: Record<string, unknown> = {}, as: Headers = programmeAdmin) {
    const response = await api().post('/api/v1/students').set(as).send(newStudent(overrides));
    expect(response.status).toBe(201);
    return response.body as StudentBody;
  }

  beforeAll(async () => {
    harness = await EnrolmentHarness.start('students', 2);
    programmeAdmin = await bearer('programme-officer', ['programme_admin']);
    auditor = await bearer('auditor-1', ['auditor']);
    evaluator = await bearer('evaluator-1', ['evaluator']);
    preparer = await bearer('preparer-1', ['finance_preparer']);
    const created = await api()
      .post('/api/v1/schools')
      .set(programmeAdmin)
      .send({ code: 'ess-gao', name: 'École de Santé de Gao', region: 'gao', city: 'Gao' });
    expect(created.status).toBe(201);
    gao = created.body;
    kidal = (
      await api()
        .post('/api/v1/schools')
        .set(programmeAdmin)
        .send({ code: 'ESS-KIDAL', name: 'École de Santé de Kidal', region: 'Kidal', city: 'Kidal' })
    ).body;
    gaoAdmin = await bearer('gao-registrar', ['school_admin'], [gao.id]);
  });

  afterAll(async () => {
    await harness?.stop();
  });

  describe('schools', () => {
    it('stores the code upper case and the canonical region', () => {
      expect(gao).toMatchObject({ code: 'ESS-GAO', region: 'Gao', name: 'École de Santé de Gao' });
    });

    it('refuses a second school with the same code', async () => {
      const response = await api()
        .post('/api/v1/schools')
        .set(programmeAdmin)
        .send({ code: 'Ess-Gao', name: 'Autre', region: 'Gao', city: 'Gao' });
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ code: 'SCHOOL.CODE_TAKEN', details: { schoolId: gao.id } });
    });

    it('lets only programme administrators create schools', async () => {
      const asSchool = await api()
        .post('/api/v1/schools')
        .set(gaoAdmin)
        .send({ code: 'X1', name: 'X', region: 'Gao', city: 'Gao' });
      expect(asSchool.status).toBe(403);
      const anonymous = await api()
        .post('/api/v1/schools')
        .send({ code: 'X1', name: 'X', region: 'Gao', city: 'Gao' });
      expect(anonymous.status).toBe(401);
    });

    it('shows a school administrator only their schools', async () => {
      const mine = await api().get('/api/v1/schools').set(gaoAdmin);
      expect(mine.body.items.map((school: { code: string }) => school.code)).toEqual(['ESS-GAO']);
      const all = await api().get('/api/v1/schools').set(auditor);
      expect(all.body.items.map((school: { code: string }) => school.code)).toEqual(['ESS-GAO', 'ESS-KIDAL']);
      expect((await api().get(`/api/v1/schools/${kidal.id}`).set(gaoAdmin)).status).toBe(403);
    });

    it('names a bad region', async () => {
      const response = await api()
        .post('/api/v1/schools')
        .set(programmeAdmin)
        .send({ code: 'ESS-X', name: 'X', region: 'Dakar', city: 'Dakar' });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'region', problem: expect.stringContaining('is not a region of Mali') },
      ]);
    });
  });

  describe('registration', () => {
    it('enrols a student, normalising what people type, and announces it on Kafka', async () => {
      const response = await api()
        .post('/api/v1/students')
        .set(programmeAdmin)
        .set('x-correlation-id', 'enrol-aissata-1')
        .send(
          newStudent({
            nationalId: 'ml 9001',
            regionOfOrigin: 'TOMBOUCTOU',
            programmeOfStudy: 'Soins infirmiers',
            phone: '76 12 34 56',
          }),
        );
      expect(response.status).toBe(201);
      const student = response.body;
      expect(student).toMatchObject({
        version: 1,
        nationalId: 'ML9001',
        firstName: 'Aïssata',
        lastName: "N'Diaye",
        regionOfOrigin: 'Tombouctou',
        programmeOfStudy: 'nursing',
        phone: '+22376123456',
        operator: 'orange',
        status: 'enrolled',
        schoolId: gao.id,
        schoolCode: 'ESS-GAO',
        updatedBy: 'programme-officer',
      });

      await harness.settle();
      const [event] = harness.eventsAbout(student.id);
      expect(event.key).toBe(student.id);
      expect(validateEvent(event.envelope)).toMatchObject({ ok: true });
      expect(event.envelope).toMatchObject({
        specversion: '1.0',
        type: EventTypes.studentRegistered,
        source: '/scholarpay/enrolment',
        subject: student.id,
        correlationid: 'enrol-aissata-1',
        data: {
          student: {
            studentId: student.id,
            version: 1,
            nationalId: 'ML9001',
            phone: '+22376123456',
            operator: 'orange',
            status: 'enrolled',
          },
        },
      });

      const detail = await api().get(`/api/v1/students/${student.id}`).set(auditor);
      expect(detail.status).toBe(200);
      expect(detail.body.statusHistory).toEqual([
        {
          from: null,
          to: 'enrolled',
          reason: 'registered',
          changedBy: 'programme-officer',
          changedAt: expect.any(String),
        },
      ]);
    });

    it('keeps an explicitly chosen operator (a ported number) and accepts no phone at all', async () => {
      expect(await enrol({ phone: '76 99 00 01', operator: 'moov' })).toMatchObject({
        phone: '+22376990001',
        operator: 'moov',
      });
      expect(await enrol({ phone: undefined })).toMatchObject({ phone: null, operator: null });
    });

    it('refuses a second student with the same national id, whatever the spelling', async () => {
      const first = await enrol({ nationalId: 'ML-DUP-1' });
      await harness.settle();
      const events = harness.events.length;
      const response = await api()
        .post('/api/v1/students')
        .set(programmeAdmin)
        .send(newStudent({ nationalId: ' ml-dup-1 ' }));
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({
        code: 'STUDENT.NATIONAL_ID_TAKEN',
        details: { existingStudentId: first.id },
      });
      await harness.settle();
      expect(harness.events.length).toBe(events);
    });

    it('refuses a phone that belongs to another active student, naming that student', async () => {
      const holder = await enrol({ phone: '+223 66 55 44 33' });
      const response = await api()
        .post('/api/v1/students')
        .set(programmeAdmin)
        .send(newStudent({ phone: '66554433' }));
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({
        code: 'STUDENT.PHONE_TAKEN',
        details: { holderStudentId: holder.id },
      });
      expect(response.body.message).toContain(holder.id);
      expect(JSON.stringify(response.body)).not.toContain('66554433');
    });

    it.each([
      ['an unknown field', { nickname: 'Aïcha' }, 'nickname', 'is not a known field'],
      ['an impossible date', { dateOfBirth: '2001-02-31' }, 'dateOfBirth', '2001-02-31 is not a real date'],
      [
        'a date in another format',
        { dateOfBirth: '14/03/2001' },
        'dateOfBirth',
        'must be a date as YYYY-MM-DD',
      ],
      ['a birth date in the future', { dateOfBirth: '2999-01-01' }, 'dateOfBirth', 'is in the future'],
      [
        'a student under 15 at intake',
        { dateOfBirth: '2002-06-01', intakeYear: 2014 },
        'dateOfBirth',
        'the minimum age is 15',
      ],
      ['an intake year out of range', { intakeYear: 1987 }, 'intakeYear', 'must be between 2000 and'],
      ['an intake year as text', { intakeYear: '2014' }, 'intakeYear', 'must be an integer number'],
      ['a sex other than F or M', { sex: 'female' }, 'sex', 'must be F or M'],
      ['an unknown region', { regionOfOrigin: 'Atlantis' }, 'regionOfOrigin', 'is not a region of Mali'],
      ['a name with digits', { firstName: 'R2D2' }, 'firstName', 'may contain only letters'],
      ['a phone that is not a number', { phone: '12' }, 'phone', 'not a valid phone number'],
      ['a French landline', { phone: '+33 1 23 45 67 89' }, 'phone', 'must be a Malian mobile number'],
      ['a US number', { phone: '+1 212 555 0123' }, 'phone', 'must be a Malian mobile number'],
      ['a Malian landline', { phone: '+223 20 22 12 34' }, 'phone', 'is not a mobile number'],
      ['a phone with an extension', { phone: '+223 76 12 34 56 ext 5' }, 'phone', 'extension'],
      ['an unknown operator', { operator: 'tigo' }, 'operator', 'must be orange or moov'],
      [
        'an operator without a phone',
        { phone: null, operator: 'orange' },
        'operator',
        'there is no phone number',
      ],
      ['a missing national id', { nationalId: undefined }, 'nationalId', 'is required'],
      ['a status other than enrolled', { status: 'graduated' }, 'status', 'a new student is always enrolled'],
    ])(
      'answers 400 naming the field for %s, and writes nothing',
      async (_label, overrides, field, problem) => {
        const [{ count: before }] = await harness.query<{ count: number }>(
          'SELECT count(*)::int AS count FROM students',
        );
        const response = await api().post('/api/v1/students').set(programmeAdmin).send(newStudent(overrides));
        expect(response.status).toBe(400);
        expect(response.body.errors).toEqual(
          expect.arrayContaining([{ field, problem: expect.stringContaining(problem) }]),
        );
        const [{ count: after }] = await harness.query<{ count: number }>(
          'SELECT count(*)::int AS count FROM students',
        );
        expect(after).toBe(before);
      },
    );

    it('answers 400 for a school that does not exist and for malformed JSON', async () => {
      const unknown = await api()
        .post('/api/v1/students')
        .set(programmeAdmin)
        .send(newStudent({ schoolCode: 'ESS-NOWHERE' }));
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({
        code: 'STUDENT.UNKNOWN_SCHOOL',
        errors: [{ field: 'schoolCode' }],
      });
      const malformed = await api()
        .post('/api/v1/students')
        .set(programmeAdmin)
        .set('Content-Type', 'application/json')
        .send('{"nationalId": "ML1",');
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe('REQUEST.MALFORMED_JSON');
    });
  });

  describe('who may do what', () => {
    it('lets a school administrator enrol in their school only', async () => {
      expect((await enrol({}, gaoAdmin)).schoolCode).toBe('ESS-GAO');
      const elsewhere = await api()
        .post('/api/v1/students')
        .set(gaoAdmin)
        .send(newStudent({ schoolCode: 'ESS-KIDAL' }));
      expect(elsewhere.status).toBe(403);
      expect(elsewhere.body.code).toBe('STUDENT.SCHOOL_FORBIDDEN');
    });

    it('hides other schools’ students from a school administrator', async () => {
      const inKidal = await enrol({ schoolCode: 'ESS-KIDAL', regionOfOrigin: 'Kidal' });
      expect((await api().get(`/api/v1/students/${inKidal.id}`).set(gaoAdmin)).status).toBe(403);
      expect(
        (await api().patch(`/api/v1/students/${inKidal.id}`).set(gaoAdmin).send({ firstName: 'Fatou' }))
          .status,
      ).toBe(403);
      expect(
        (
          await api()
            .post(`/api/v1/students/${inKidal.id}/status`)
            .set(gaoAdmin)
            .send({ status: 'suspended', reason: 'x' })
        ).status,
      ).toBe(403);
      const listed = await api().get('/api/v1/students').query({ limit: 200 }).set(gaoAdmin);
      expect(listed.status).toBe(200);
      expect(listed.body.items.length).toBeGreaterThan(0);
      expect(
        listed.body.items.every((student: { schoolCode: string }) => student.schoolCode === 'ESS-GAO'),
      ).toBe(true);
      expect(
        (await api().get('/api/v1/students').query({ schoolCode: 'ESS-KIDAL' }).set(gaoAdmin)).status,
      ).toBe(403);
    });

    it('lets auditors read but not write; other roles and anonymous callers get nothing', async () => {
      const student = await enrol();
      expect((await api().get(`/api/v1/students/${student.id}`).set(auditor)).status).toBe(200);
      expect(
        (await api().patch(`/api/v1/students/${student.id}`).set(auditor).send({ firstName: 'X' })).status,
      ).toBe(403);
      expect((await api().post('/api/v1/students').set(evaluator).send(newStudent())).status).toBe(403);
      expect((await api().get('/api/v1/students').set(preparer)).status).toBe(403);
      expect((await api().get('/api/v1/students')).status).toBe(401);
      expect((await api().get('/api/v1/students').set('Authorization', 'Bearer not-a-token')).status).toBe(
        401,
      );
    });
  });

  describe('conflicts with students of other schools', () => {
    it('tells a school administrator that a national id or phone is taken, but not by whom or in which school', async () => {
      const inKidal = await enrol({ schoolCode: 'ESS-KIDAL', regionOfOrigin: 'Kidal', phone: '76 60 60 60' });
      const mine = await enrol({ phone: '76 61 61 61' }, gaoAdmin);
      const answers = [
        await api()
          .post('/api/v1/students')
          .set(gaoAdmin)
          .send(newStudent({ nationalId: inKidal.nationalId })),
        await api()
          .post('/api/v1/students')
          .set(gaoAdmin)
          .send(newStudent({ phone: '76606060' })),
        await api()
          .patch(`/api/v1/students/${mine.id}`)
          .set(gaoAdmin)
          .send({ nationalId: inKidal.nationalId, reason: 'Corrected NINA' }),
        await api()
          .patch(`/api/v1/students/${mine.id}`)
          .set(gaoAdmin)
          .send({ phone: '76606060', reason: 'New number' }),
      ];
      expect(answers.map((answer) => [answer.status, answer.body.code, answer.body.message])).toEqual([
        [409, 'STUDENT.NATIONAL_ID_TAKEN', 'this national id is already registered'],
        [409, 'STUDENT.PHONE_TAKEN', 'this phone number already belongs to another active student'],
        [409, 'STUDENT.NATIONAL_ID_TAKEN', 'this national id is already registered'],
        [409, 'STUDENT.PHONE_TAKEN', `the phone number of student ${mine.id} already belongs to another active student`],
      ]);
      for (const answer of answers) {
        expect(JSON.stringify(answer.body)).not.toMatch(new RegExp(`${inKidal.id}|ESS-KIDAL|${kidal.id}`));
      }
      expect(answers[3].body.details).toEqual({ studentId: mine.id });

      // Programme-wide roles still learn who holds it.
      const asProgramme = await api()
        .post('/api/v1/students')
        .set(programmeAdmin)
        .send(newStudent({ phone: '76606060' }));
      expect(asProgramme.body.details).toEqual({ studentId: null, holderStudentId: inKidal.id });
    });
  });

  describe('evaluators', () => {
    it('read no student (phone, national id, birth date, status reasons), only the schools they compare', async () => {
      const student = await enrol();
      for (const path of [
        '/api/v1/students',
        `/api/v1/students?schoolCode=ESS-GAO`,
        `/api/v1/students/${student.id}`,
        `/api/v1/students/${student.id}/changes`,
      ]) {
        const response = await api().get(path).set(evaluator);
        expect({ path, status: response.status }).toEqual({ path, status: 403 });
        expect(JSON.stringify(response.body)).not.toContain(student.nationalId);
      }
      const schools = await api().get('/api/v1/schools').set(evaluator);
      expect(schools.body.items.map((school: { code: string }) => school.code)).toEqual([
        'ESS-GAO',
        'ESS-KIDAL',
      ]);
      expect((await api().get(`/api/v1/schools/${kidal.id}`).set(evaluator)).status).toBe(200);
    });
  });

  describe('corrections', () => {
    it('publishes exactly what changed, with the new version, and nothing for identical values', async () => {
      const student = await enrol({ phone: '76 40 40 40' });
      const patched = await api()
        .patch(`/api/v1/students/${student.id}`)
        .set(gaoAdmin)
        .send({ phone: '66 40 40 40', lastName: 'Ould Mohamed', reason: 'New SIM card' });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        version: 2,
        phone: '+22366404040',
        operator: 'moov',
        lastName: 'Ould Mohamed',
        updatedBy: 'gao-registrar',
      });

      const again = await api()
        .patch(`/api/v1/students/${student.id}`)
        .set(gaoAdmin)
        .send({ phone: '+22366404040', lastName: 'Ould Mohamed', reason: 'New SIM card' });
      expect(again.status).toBe(200);
      expect(again.body.version).toBe(2);

      await harness.settle();
      const events = harness.eventsAbout(student.id);
      expect(events.map((event) => event.envelope.type)).toEqual([
        EventTypes.studentRegistered,
        EventTypes.studentUpdated,
      ]);
      expect(events[1].envelope.data).toEqual({
        student: expect.objectContaining({
          version: 2,
          phone: '+22366404040',
          operator: 'moov',
          lastName: 'Ould Mohamed',
        }),
        changes: {
          lastName: { from: "N'Diaye", to: 'Ould Mohamed' },
          phone: { from: '+22376404040', to: '+22366404040' },
          operator: { from: 'orange', to: 'moov' },
        },
        changedBy: 'gao-registrar',
        reason: 'New SIM card',
      });
    });

    it('refuses to give a student the phone of another active student, naming both', async () => {
      const holder = await enrol({ phone: '76 41 41 41' });
      const other = await enrol({ phone: '76 42 42 42' });
      const response = await api()
        .patch(`/api/v1/students/${other.id}`)
        .set(programmeAdmin)
        .send({ phone: '76414141', reason: 'Typo in the number' });
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({
        code: 'STUDENT.PHONE_TAKEN',
        details: { studentId: other.id, holderStudentId: holder.id },
      });
    });

    it('refuses to move a stipend to a foreign number, leaving the student as it was', async () => {
      const student = await enrol({ phone: '76 45 45 45' });
      const response = await api()
        .patch(`/api/v1/students/${student.id}`)
        .set(programmeAdmin)
        .send({ phone: '+33 6 12 34 56 78' });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'phone', problem: expect.stringContaining('must be a Malian mobile number') },
      ]);
      expect(JSON.stringify(response.body)).not.toContain('612345678');
      const after = await api().get(`/api/v1/students/${student.id}`).set(programmeAdmin);
      expect(after.body).toMatchObject({ phone: '+22376454545', version: 1 });
    });

    it('refuses to write back a student someone else changed meanwhile (the version check imports rely on)', async () => {
      const student = await enrol();
      const repository = harness.app.get(StudentRepository);
      const dataSource = harness.app.get(DataSource);
      const stale = await repository.findById(student.id);
      await api()
        .patch(`/api/v1/students/${student.id}`)
        .set(programmeAdmin)
        .send({ firstName: 'Mariam' })
        .expect(200);
      Object.assign(stale!, { firstName: 'Kadiatou', version: stale!.version + 1 });
      await expect(
        dataSource.transaction((manager) => repository.updateMany(manager, [stale!])),
      ).rejects.toBeInstanceOf(ConcurrentStudentChangeError);
      expect((await repository.findById(student.id))!.firstName).toBe('Mariam');
    });

    it('refuses to take another student’s national id', async () => {
      const first = await enrol();
      const second = await enrol();
      const response = await api()
        .patch(`/api/v1/students/${second.id}`)
        .set(programmeAdmin)
        .send({ nationalId: first.nationalId, reason: 'Wrong NINA on the form' });
      expect(response.status).toBe(409);
      expect(response.body.details).toEqual({ existingStudentId: first.id });
    });

    it('sends status changes elsewhere, and refuses empty or invalid patches', async () => {
      const student = await enrol();
      const status = await api()
        .patch(`/api/v1/students/${student.id}`)
        .set(programmeAdmin)
        .send({ status: 'withdrawn' });
      expect(status.status).toBe(400);
      expect(status.body.errors).toEqual([{ field: 'status', problem: expect.stringContaining('/status') }]);
      expect((await api().patch(`/api/v1/students/${student.id}`).set(programmeAdmin).send({})).status).toBe(
        400,
      );
      const nullName = await api()
        .patch(`/api/v1/students/${student.id}`)
        .set(programmeAdmin)
        .send({ firstName: null });
      expect(nullName.status).toBe(400);
      const tooYoung = await api()
        .patch(`/api/v1/students/${student.id}`)
        .set(programmeAdmin)
        .send({ intakeYear: 2010 });
      expect(tooYoung.status).toBe(400);
      expect(tooYoung.body.errors).toEqual([
        { field: 'intakeYear', problem: expect.stringContaining('minimum age is 15') },
      ]);
      expect(
        (await api().patch('/api/v1/students/not-a-uuid').set(programmeAdmin).send({ firstName: 'A' }))
          .status,
      ).toBe(400);
      expect(
        (
          await api()
            .patch('/api/v1/students/7d3f1a52-8a43-4f4e-9d0b-3c6f0b7c2a11')
            .set(programmeAdmin)
            .send({ firstName: 'A' })
        ).status,
      ).toBe(404);
    });
  });

  describe('change history', () => {
    it.each([
      ['the phone', () => ({ phone: '66 50 50 50' })],
      ['the national id', () => ({ nationalId: `ML-NEW-${sequence}` })],
      ['the school', () => ({ schoolCode: 'ESS-KIDAL' })],
    ])(
      'refuses to change %s without a reason, naming the field reason, and changes nothing',
      async (_label, patch) => {
        const student = await enrol({ phone: `76 50 ${String(50 + sequence).slice(-2)} 50` });
        await harness.settle();
        const events = harness.events.length;
        for (const reason of [undefined, '   ']) {
          const response = await api()
            .patch(`/api/v1/students/${student.id}`)
            .set(programmeAdmin)
            .send({ ...patch(), firstName: 'Mariam', reason });
          expect(response.status).toBe(400);
          expect(response.body.errors).toEqual([{ field: 'reason', problem: expect.any(String) }]);
        }
        const after = await api().get(`/api/v1/students/${student.id}`).set(programmeAdmin);
        expect(after.body).toMatchObject({ version: 1, firstName: 'Aïssata', phone: student.phone });
        expect(
          await harness.query('SELECT * FROM student_changes WHERE student_id = $1', [student.id]),
        ).toEqual([]);
        await harness.settle();
        expect(harness.events.length).toBe(events);
      },
    );

    it('keeps every correction (before and after, who, when, why) for auditors, programme and school administrators, page by page', async () => {
      const student = await enrol({ phone: '76 51 51 51' }, gaoAdmin);
      await api()
        .patch(`/api/v1/students/${student.id}`)
        .set(gaoAdmin)
        .send({ phone: '76 52 52 52', reason: 'The student lost her SIM card' })
        .expect(200);
      // Other fields need no reason, and a later harmless edit does not hide the phone change.
      await api().patch(`/api/v1/students/${student.id}`).set(gaoAdmin).send({ firstName: 'Mariam' }).expect(200);
      await api()
        .patch(`/api/v1/students/${student.id}`)
        .set(programmeAdmin)
        .send({ lastName: 'Traoré', reason: 'Married' })
        .expect(200);

      const expected = [
        {
          version: 2,
          changes: { phone: { from: '+22376515151', to: '+22376525252' } },
          reason: 'The student lost her SIM card',
          changedBy: 'gao-registrar',
          changedAt: expect.any(String),
        },
        {
          version: 3,
          changes: { firstName: { from: 'Aïssata', to: 'Mariam' } },
          reason: null,
          changedBy: 'gao-registrar',
          changedAt: expect.any(String),
        },
        {
          version: 4,
          changes: { lastName: { from: "N'Diaye", to: 'Traoré' } },
          reason: 'Married',
          changedBy: 'programme-officer',
          changedAt: expect.any(String),
        },
      ];
      for (const reader of [auditor, programmeAdmin, gaoAdmin]) {
        const all = await api().get(`/api/v1/students/${student.id}/changes`).set(reader);
        expect(all.status).toBe(200);
        expect(all.body).toEqual({ items: expected, nextCursor: null });
      }
      const first = await api().get(`/api/v1/students/${student.id}/changes`).query({ limit: 2 }).set(auditor);
      expect(first.body.items).toEqual(expected.slice(0, 2));
      const second = await api()
        .get(`/api/v1/students/${student.id}/changes`)
        .query({ limit: 2, cursor: first.body.nextCursor })
        .set(auditor);
      expect(second.body).toEqual({ items: expected.slice(2), nextCursor: null });

      await harness.settle();
      const updates = harness
        .eventsAbout(student.id)
        .filter((event) => event.envelope.type === EventTypes.studentUpdated)
        .map((event) => event.envelope.data as { reason?: string });
      expect(updates.map((data) => data.reason)).toEqual(['The student lost her SIM card', undefined, 'Married']);

      const inKidal = await enrol({ schoolCode: 'ESS-KIDAL', regionOfOrigin: 'Kidal' });
      expect((await api().get(`/api/v1/students/${inKidal.id}/changes`).set(gaoAdmin)).status).toBe(403);
      expect((await api().get(`/api/v1/students/${student.id}/changes`).set(preparer)).status).toBe(403);
      expect((await api().get(`/api/v1/students/${student.id}/changes`)).status).toBe(401);
      expect(
        (await api().get('/api/v1/students/7d3f1a52-8a43-4f4e-9d0b-3c6f0b7c2a11/changes').set(auditor)).status,
      ).toBe(404);
      const badLimit = await api().get(`/api/v1/students/${student.id}/changes`).query({ limit: 0 }).set(auditor);
      expect(badLimit.body.errors).toEqual([{ field: 'limit', problem: expect.any(String) }]);
    });

    it('says nothing changed when a patch carries only a reason', async () => {
      const student = await enrol();
      const response = await api()
        .patch(`/api/v1/students/${student.id}`)
        .set(programmeAdmin)
        .send({ reason: 'just because' });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('STUDENT.NOTHING_TO_CHANGE');
    });
  });

  describe('status', () => {
    it('follows the status machine, keeps who/when/why, and announces each change', async () => {
      const student = await enrol();
      const suspend = await api()
        .post(`/api/v1/students/${student.id}/status`)
        .set(gaoAdmin)
        .send({ status: 'suspended', reason: 'Absent all of March' });
      expect(suspend.status).toBe(200);
      expect(suspend.body).toMatchObject({ status: 'suspended', version: 2 });
      const back = await api()
        .post(`/api/v1/students/${student.id}/status`)
        .set(gaoAdmin)
        .send({ status: 'enrolled', reason: 'Returned with a medical certificate' });
      expect(back.body).toMatchObject({ status: 'enrolled', version: 3 });
      const graduate = await api()
        .post(`/api/v1/students/${student.id}/status`)
        .set(programmeAdmin)
        .send({ status: 'graduated', reason: 'Diploma 2017' });
      expect(graduate.body).toMatchObject({ status: 'graduated', version: 4 });

      const final = await api()
        .post(`/api/v1/students/${student.id}/status`)
        .set(programmeAdmin)
        .send({ status: 'enrolled', reason: 'try' });
      expect(final.status).toBe(409);
      expect(final.body).toMatchObject({
        code: 'STUDENT.STATUS_TRANSITION_NOT_ALLOWED',
        details: { from: 'graduated', to: 'enrolled' },
      });

      const detail = await api().get(`/api/v1/students/${student.id}`).set(auditor);
      expect(
        detail.body.statusHistory.map(
          (entry: { from: string | null; to: string; reason: string; changedBy: string }) => [
            entry.from,
            entry.to,
            entry.reason,
            entry.changedBy,
          ],
        ),
      ).toEqual([
        [null, 'enrolled', 'registered', 'programme-officer'],
        ['enrolled', 'suspended', 'Absent all of March', 'gao-registrar'],
        ['suspended', 'enrolled', 'Returned with a medical certificate', 'gao-registrar'],
        ['enrolled', 'graduated', 'Diploma 2017', 'programme-officer'],
      ]);

      await harness.settle();
      const changes = harness
        .eventsAbout(student.id)
        .filter((event) => event.envelope.type === EventTypes.studentStatusChanged);
      expect(changes.map((event) => event.envelope.data)).toEqual([
        expect.objectContaining({
          from: 'enrolled',
          to: 'suspended',
          reason: 'Absent all of March',
          changedBy: 'gao-registrar',
          student: expect.objectContaining({ version: 2, status: 'suspended' }),
        }),
        expect.objectContaining({
          from: 'suspended',
          to: 'enrolled',
          student: expect.objectContaining({ version: 3 }),
        }),
        expect.objectContaining({
          from: 'enrolled',
          to: 'graduated',
          student: expect.objectContaining({ version: 4 }),
        }),
      ]);
      expect(changes.every((event) => event.key === student.id)).toBe(true);
    });

    it('needs a reason and a known status', async () => {
      const student = await enrol();
      const noReason = await api()
        .post(`/api/v1/students/${student.id}/status`)
        .set(programmeAdmin)
        .send({ status: 'suspended' });
      expect(noReason.status).toBe(400);
      expect(noReason.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'reason' })]),
      );
      const blank = await api()
        .post(`/api/v1/students/${student.id}/status`)
        .set(programmeAdmin)
        .send({ status: 'suspended', reason: '   ' });
      expect(blank.status).toBe(400);
      const unknown = await api()
        .post(`/api/v1/students/${student.id}/status`)
        .set(programmeAdmin)
        .send({ status: 'expelled', reason: 'x' });
      expect(unknown.body.errors).toEqual([
        { field: 'status', problem: expect.stringContaining('must be one of') },
      ]);
    });

    it('re-admits a withdrawn student only if nobody active has taken their number', async () => {
      const student = await enrol({ phone: '76 43 43 43' });
      await api()
        .post(`/api/v1/students/${student.id}/status`)
        .set(programmeAdmin)
        .send({ status: 'withdrawn', reason: 'Left for Bamako' })
        .expect(200);
      const newcomer = await enrol({ phone: '76 43 43 43' });
      const readmit = await api()
        .post(`/api/v1/students/${student.id}/status`)
        .set(programmeAdmin)
        .send({ status: 'enrolled', reason: 'Came back' });
      expect(readmit.status).toBe(409);
      expect(readmit.body).toMatchObject({
        code: 'STUDENT.PHONE_TAKEN',
        details: { studentId: student.id, holderStudentId: newcomer.id },
      });
      await api()
        .patch(`/api/v1/students/${student.id}`)
        .set(programmeAdmin)
        .send({ phone: '76 44 44 44', reason: 'New number after coming back' })
        .expect(200);
      await api()
        .post(`/api/v1/students/${student.id}/status`)
        .set(programmeAdmin)
        .send({ status: 'enrolled', reason: 'Came back' })
        .expect(200);
    });
  });

  describe('listing', () => {
    let cohort: string[];

    beforeAll(async () => {
      cohort = [];
      for (const [firstName, lastName] of [
        ['Aïssata', 'Maïga'],
        ['Sékou', 'Traoré'],
        ['Fatoumata', 'Ould Mohamed'],
        ['Moussa', "N'Diaye"],
        ['Aminata', 'Touré'],
      ]) {
        cohort.push(
          (
            await enrol({
              firstName,
              lastName,
              intakeYear: 2009,
              dateOfBirth: '1990-01-01',
              schoolCode: 'ESS-KIDAL',
            })
          ).id,
        );
      }
      await api()
        .post(`/api/v1/students/${cohort[4]}/status`)
        .set(programmeAdmin)
        .send({ status: 'suspended', reason: 'Unpaid fees' })
        .expect(200);
    });

    it('filters by school, intake year and status', async () => {
      const byYear = await api()
        .get('/api/v1/students')
        .query({ schoolCode: 'ess-kidal', intakeYear: 2009 })
        .set(auditor);
      expect(byYear.status).toBe(200);
      expect(byYear.body.items.map((student: { id: string }) => student.id)).toEqual(cohort);
      const suspended = await api()
        .get('/api/v1/students')
        .query({ schoolId: kidal.id, intakeYear: '2009', status: 'suspended' })
        .set(auditor);
      expect(suspended.body.items.map((student: { id: string }) => student.id)).toEqual([cohort[4]]);
      expect(
        (await api().get('/api/v1/students').query({ schoolCode: 'NOWHERE' }).set(auditor)).body.items,
      ).toEqual([]);
    });

    it.each([
      ['too large for the database', '99999999999'],
      ['before the first intake', '1999'],
      ['after next year', '9999'],
      ['written in hexadecimal', '0x7D9'],
      ['empty', ''],
      ['not a number', 'abc'],
    ])('answers 400 naming intakeYear for a filter year %s', async (_label, intakeYear) => {
      const response = await api().get('/api/v1/students').query({ intakeYear }).set(auditor);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: 'REQUEST.VALIDATION_FAILED',
        errors: [
          { field: 'intakeYear', problem: expect.stringMatching(/^must be (a whole year|between 2000 and \d{4})$/) },
        ],
      });
    });

    it('searches names without caring about accents or case', async () => {
      const search = async (q: string) =>
        (await api().get('/api/v1/students').query({ q, intakeYear: 2009 }).set(auditor)).body.items.map(
          (student: { id: string }) => student.id,
        );
      expect(await search('aissata')).toEqual([cohort[0]]);
      expect(await search('TRAORE')).toEqual([cohort[1]]);
      expect(await search('ould moh')).toEqual([cohort[2]]);
      expect(await search("n'diaye")).toEqual([cohort[3]]);
      expect(await search('zzz')).toEqual([]);
    });

    it('pages with an opaque cursor and refuses a forged one', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await api()
          .get('/api/v1/students')
          .query({ intakeYear: 2009, limit: 2, ...(cursor ? { cursor } : {}) })
          .set(auditor);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((student: { id: string }) => student.id));
        cursor = page.body.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(cohort);
      const forged = await api().get('/api/v1/students').query({ cursor: 'bm90LWEtY3Vyc29y' }).set(auditor);
      expect(forged.status).toBe(400);
      expect(forged.body.errors).toEqual([{ field: 'cursor', problem: expect.any(String) }]);
      for (const limit of ['abc', '0', '201', '2.5', '', '0x10']) {
        const badLimit = await api().get('/api/v1/students').query({ limit }).set(auditor);
        expect(badLimit.status).toBe(400);
        expect(badLimit.body.errors).toEqual([
          { field: 'limit', problem: 'must be a whole number between 1 and 200' },
        ]);
      }
      const unknownFilter = await api().get('/api/v1/students').query({ colour: 'blue' }).set(auditor);
      expect(unknownFilter.status).toBe(400);
    });
  });

  it('reports itself ready only when the database, Redis, Kafka and the import worker answer', async () => {
    const report = await waitFor(
      async () => {
        const response = await api().get('/health');
        return response.status === 200 ? response.body : undefined;
      },
      { timeoutMs: 30000, description: 'the service to be ready' },
    );
    expect(Object.keys(report.checks).sort()).toEqual(['database', 'import-worker', 'kafka', 'redis']);
    const metrics = await api().get('/metrics');
    expect(metrics.text).toContain('enrolment_students_registered_total');
  });

  it('publishes every student event on the student topic, keyed by student id, valid against the contract', async () => {
    await harness.settle();
    expect(harness.events.length).toBeGreaterThan(0);
    for (const event of harness.events) {
      expect(event.key).toBe(event.envelope.subject);
      expect(validateEvent(event.envelope).ok).toBe(true);
      expect((event.envelope.data as { student: { studentId: string } }).student.studentId).toBe(event.key);
    }
    expect(Topics.studentEvents).toBe('enrolment.student.v1');
  });
});
