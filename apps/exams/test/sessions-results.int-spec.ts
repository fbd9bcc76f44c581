import { EventTypes, Topics } from '@scholarpay/contracts';
import { waitFor } from '@scholarpay/testing';
import type { Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  as,
  auditor,
  createSession,
  drainOutbox,
  evaluator,
  newStudent,
  programmeAdmin,
  publishStudent,
  expectCountsMatchResults,
  startExamsForTest,
  waitForStudents,
  type ExamsTestContext,
} from './helpers';

jest.setTimeout(120000);

describe('exams: sessions and results', () => {
  let context: ExamsTestContext;
  let consumer: Consumer;
  const examEvents: {
    key: string;
    value: { type: string; subject: string; data: Record<string, unknown> };
  }[] = [];
  const known = newStudent({ nationalId: 'ML 1994-0312-77' });
  const other = newStudent();

  beforeAll(async () => {
    context = await startExamsForTest('sessions');
    consumer = context.kafka.consumer({ groupId: 'exams-test-observer', maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic: Topics.examResultEvents, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        examEvents.push({ key: message.key!.toString(), value: JSON.parse(message.value!.toString()) });
      },
    });
    await publishStudent(context, known);
    await publishStudent(context, other);
    await waitForStudents(context, [known.studentId, other.studentId]);
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await context?.stop();
  });

  describe('sessions', () => {
    it('needs a token, and the evaluator role to create', async () => {
      const body = { code: 'X-1', name: 'x', examDate: '2015-06-15', cadre: 'sage-femme' };
      const anonymous = await request(context.url).post('/api/v1/exam-sessions').send(body);
      expect(anonymous.status).toBe(401);
      for (const headers of [
        await auditor(),
        await programmeAdmin(),
        await as('school-1', ['school_admin']),
      ]) {
        const refused = await request(context.url).post('/api/v1/exam-sessions').set(headers).send(body);
        expect(refused.status).toBe(403);
        expect(refused.body.code).toBe('AUTH.ROLE_REQUIRED');
      }
      const schoolAdmin = await request(context.url)
        .get('/api/v1/exam-sessions')
        .set(await as('school-1', ['school_admin']));
      expect(schoolAdmin.status).toBe(403);
    });

    it('creates a session with its stipend cutoff at the start of the exam day in Bamako (UTC)', async () => {
      const response = await request(context.url)
        .post('/api/v1/exam-sessions')
        .set(await evaluator())
        .send({
          code: 'SF-2015-06',
          name: 'Certification des sages-femmes, juin 2015',
          examDate: '2015-06-16',
          cadre: 'sage-femme',
          scoreScale: 100,
        });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        code: 'SF-2015-06',
        examDate: '2015-06-16',
        cadre: 'sage-femme',
        scoreScale: 100,
        stipendCutoff: '2015-06-16T00:00:00.000Z',
        createdBy: 'evaluator-awa',
        resultCount: 0,
      });
      const fetched = await request(context.url)
        .get(`/api/v1/exam-sessions/${response.body.id}`)
        .set(await auditor());
      expect(fetched.status).toBe(200);
      expect(fetched.body.name).toBe('Certification des sages-femmes, juin 2015');

      const duplicate = await request(context.url)
        .post('/api/v1/exam-sessions')
        .set(await evaluator())
        .send({ code: 'sf-2015-06', name: 'again', examDate: '2015-06-16', cadre: 'sage-femme' });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.code).toBe('EXAM_SESSION.CODE_TAKEN');
    });

    it('refuses invalid sessions naming each field', async () => {
      const response = await request(context.url)
        .post('/api/v1/exam-sessions')
        .set(await evaluator())
        .send({ code: 'bad code!', name: '', examDate: '2015-02-30', cadre: 'x', scoreScale: 50, extra: 1 });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('REQUEST.VALIDATION_FAILED');
      const fields = (response.body.errors as { field: string }[]).map((e) => e.field).sort();
      expect(fields).toEqual(['code', 'examDate', 'extra', 'name', 'scoreScale']);
      expect(response.body.errors).toContainEqual({
        field: 'examDate',
        problem: 'must be a date written YYYY-MM-DD',
      });
      expect(response.body.errors).toContainEqual({ field: 'scoreScale', problem: 'must be 20 or 100' });
    });

    it('lists sessions newest exam first, filters by cadre, and answers 404/400 for bad ids', async () => {
      await createSession(context, { code: 'IDE-2014-06', examDate: '2014-06-10' });
      await createSession(context, { code: 'IDE-2016-06', examDate: '2016-06-10' });
      const list = await request(context.url)
        .get('/api/v1/exam-sessions?cadre=infirmier%20d%27%C3%89tat&limit=2')
        .set(await programmeAdmin());
      expect(list.status).toBe(200);
      expect(list.body.limit).toBe(2);
      expect(list.body.items.map((s: { code: string }) => s.code)).toEqual(['IDE-2016-06', 'IDE-2014-06']);
      const badLimit = await request(context.url)
        .get('/api/v1/exam-sessions?limit=0')
        .set(await auditor());
      expect(badLimit.status).toBe(400);
      expect(badLimit.body.errors[0].field).toBe('limit');
      const missing = await request(context.url)
        .get(`/api/v1/exam-sessions/${randomUUID()}`)
        .set(await auditor());
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('EXAM_SESSION.NOT_FOUND');
      const malformed = await request(context.url)
        .get('/api/v1/exam-sessions/not-a-uuid')
        .set(await auditor());
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors).toEqual([{ field: 'sessionId', problem: 'must be a UUID' }]);
    });
  });

  describe('results', () => {
    let sessionId: string;
    let resultId: string;

    beforeAll(async () => {
      sessionId = (await createSession(context, { code: 'IDE-2015-06', examDate: '2015-06-15' })).id;
    });

    it('records a result by national id (normalised), publishing the event keyed by student id', async () => {
      const response = await request(context.url)
        .post(`/api/v1/exam-sessions/${sessionId}/results`)
        .set(await evaluator())
        .send({ nationalId: 'ml199403127 7', passed: true, score: 14.5 });
      expect(response.status).toBe(201);
      expect(response.body.outcome).toBe('recorded');
      expect(response.body.result).toMatchObject({
        sessionId,
        studentId: known.studentId,
        passed: true,
        score: 14.5,
        revision: 1,
        recordedBy: 'evaluator-awa',
        source: 'entry',
        recipient: false,
        stipendMonths: 0,
        schoolCode: known.schoolCode,
        regionOfOrigin: known.regionOfOrigin,
        intakeYear: known.intakeYear,
      });
      expect(JSON.stringify(response.body)).not.toContain(known.nationalId.replace(/\s/g, ''));
      resultId = response.body.result.id;
      await drainOutbox(context);
      const event = await waitFor(
        () => examEvents.find((e) => e.value.data.resultId === resultId && e.value.data.revision === 1),
        {
          description: 'the exam result event',
        },
      );
      expect(event.key).toBe(known.studentId);
      expect(event.value.type).toBe(EventTypes.examResultRecorded);
      expect(event.value.subject).toBe(known.studentId);
      expect(event.value.data).toEqual({
        resultId,
        sessionId,
        sessionCode: 'IDE-2015-06',
        examDate: '2015-06-15',
        studentId: known.studentId,
        passed: true,
        score: 14.5,
        revision: 1,
        recordedBy: 'evaluator-awa',
      });
    });

    it('changes nothing when the same result is sent again', async () => {
      const again = await request(context.url)
        .post(`/api/v1/exam-sessions/${sessionId}/results`)
        .set(await evaluator())
        .send({ studentId: known.studentId, passed: true, score: 14.5 });
      expect(again.status).toBe(200);
      expect(again.body.outcome).toBe('unchanged');
      expect(again.body.result.revision).toBe(1);
      const { rows } = await context.db.query(
        `SELECT count(*)::int AS n FROM outbox_events WHERE envelope->'data'->>'resultId' = $1`,
        [resultId],
      );
      expect(rows[0].n).toBe(1);
    });

    it('refuses a different result without a reason, and corrects it with one, keeping the history', async () => {
      const conflict = await request(context.url)
        .post(`/api/v1/exam-sessions/${sessionId}/results`)
        .set(await evaluator())
        .send({ studentId: known.studentId, passed: false, score: 9 });
      expect(conflict.status).toBe(409);
      expect(conflict.body.code).toBe('EXAM_RESULT.ALREADY_RECORDED');
      expect(conflict.body.details).toEqual({ resultId, revision: 1 });

      const corrected = await request(context.url)
        .post(`/api/v1/exam-sessions/${sessionId}/results`)
        .set(await as('evaluator-ibrahim', ['evaluator']))
        .send({
          studentId: known.studentId,
          passed: false,
          score: 9,
          reason: 'jury deliberation: practical exam failed',
        });
      expect(corrected.status).toBe(200);
      expect(corrected.body.outcome).toBe('corrected');
      expect(corrected.body.result).toMatchObject({
        id: resultId,
        passed: false,
        score: 9,
        revision: 2,
        recordedBy: 'evaluator-ibrahim',
      });

      const stale = await request(context.url)
        .patch(`/api/v1/exam-sessions/${sessionId}/results/${resultId}`)
        .set(await evaluator())
        .send({ passed: true, reason: 'appeal upheld', expectedRevision: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('EXAM_RESULT.REVISION_CHANGED');

      const patched = await request(context.url)
        .patch(`/api/v1/exam-sessions/${sessionId}/results/${resultId}`)
        .set(await evaluator())
        .send({ passed: true, score: null, reason: 'appeal upheld', expectedRevision: 2 });
      expect(patched.status).toBe(200);
      expect(patched.body.result).toMatchObject({
        passed: true,
        score: null,
        revision: 3,
        reason: 'appeal upheld',
      });

      const history = await request(context.url)
        .get(`/api/v1/exam-sessions/${sessionId}/results/${resultId}/revisions`)
        .set(await auditor());
      expect(history.status).toBe(200);
      expect(
        history.body.map(
          (r: {
            revision: number;
            passed: boolean;
            score: number | null;
            recordedBy: string;
            reason: string | null;
          }) => [r.revision, r.passed, r.score, r.recordedBy, r.reason],
        ),
      ).toEqual([
        [1, true, 14.5, 'evaluator-awa', null],
        [2, false, 9, 'evaluator-ibrahim', 'jury deliberation: practical exam failed'],
        [3, true, null, 'evaluator-awa', 'appeal upheld'],
      ]);

      await drainOutbox(context);
      await waitFor(() => examEvents.filter((e) => e.value.data.resultId === resultId).length === 3, {
        description: 'three revisions on Kafka',
      });
      expect(
        examEvents
          .filter((e) => e.value.data.resultId === resultId)
          .map((e) => [e.value.data.revision, e.value.data.passed]),
      ).toEqual([
        [1, true],
        [2, false],
        [3, true],
      ]);
    });

    it('refuses corrections that say nothing, lack a reason, or target an unknown result', async () => {
      const nothing = await request(context.url)
        .patch(`/api/v1/exam-sessions/${sessionId}/results/${resultId}`)
        .set(await evaluator())
        .send({ reason: 'nothing' });
      expect(nothing.status).toBe(400);
      expect(nothing.body.code).toBe('EXAM_RESULT.NOTHING_TO_CORRECT');
      const noReason = await request(context.url)
        .patch(`/api/v1/exam-sessions/${sessionId}/results/${resultId}`)
        .set(await evaluator())
        .send({ passed: false });
      expect(noReason.status).toBe(400);
      expect(noReason.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
      const unknown = await request(context.url)
        .patch(`/api/v1/exam-sessions/${sessionId}/results/${randomUUID()}`)
        .set(await evaluator())
        .send({ passed: false, reason: 'x' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('EXAM_RESULT.NOT_FOUND');
      const readOnly = await request(context.url)
        .patch(`/api/v1/exam-sessions/${sessionId}/results/${resultId}`)
        .set(await auditor())
        .send({ passed: false, reason: 'x' });
      expect(readOnly.status).toBe(403);
    });

    it('refuses results for unknown students, unknown sessions and bad values, naming the field', async () => {
      const unknownNationalId = await request(context.url)
        .post(`/api/v1/exam-sessions/${sessionId}/results`)
        .set(await evaluator())
        .send({ nationalId: 'ZZ000000', passed: true });
      expect(unknownNationalId.status).toBe(422);
      expect(unknownNationalId.body.code).toBe('EXAM_RESULT.STUDENT_UNKNOWN');
      expect(unknownNationalId.body.details).toEqual({ field: 'nationalId' });
      expect(unknownNationalId.body.message).not.toContain('ZZ000000');

      const unknownStudent = await request(context.url)
        .post(`/api/v1/exam-sessions/${sessionId}/results`)
        .set(await evaluator())
        .send({ studentId: randomUUID(), passed: true });
      expect(unknownStudent.status).toBe(422);
      expect(unknownStudent.body.details).toEqual({ field: 'studentId' });

      const mismatch = await request(context.url)
        .post(`/api/v1/exam-sessions/${sessionId}/results`)
        .set(await evaluator())
        .send({ studentId: other.studentId, nationalId: known.nationalId, passed: true });
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.code).toBe('EXAM_RESULT.STUDENT_MISMATCH');

      const nobody = await request(context.url)
        .post(`/api/v1/exam-sessions/${sessionId}/results`)
        .set(await evaluator())
        .send({ passed: true });
      expect(nobody.status).toBe(400);
      expect(nobody.body.code).toBe('EXAM_RESULT.STUDENT_MISSING');

      const outOfScale = await request(context.url)
        .post(`/api/v1/exam-sessions/${sessionId}/results`)
        .set(await evaluator())
        .send({ studentId: other.studentId, passed: true, score: 21 });
      expect(outOfScale.status).toBe(400);
      expect(outOfScale.body.errors).toEqual([
        { field: 'score', problem: 'must be between 0 and 20 (this session scores out of 20)' },
      ]);

      const badTypes = await request(context.url)
        .post(`/api/v1/exam-sessions/${sessionId}/results`)
        .set(await evaluator())
        .send({ studentId: 'abc', passed: 'yes', score: 12.345 });
      expect(badTypes.status).toBe(400);
      expect(badTypes.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'passed',
        'score',
        'studentId',
      ]);

      const noSession = await request(context.url)
        .post(`/api/v1/exam-sessions/${randomUUID()}/results`)
        .set(await evaluator())
        .send({ studentId: other.studentId, passed: true });
      expect(noSession.status).toBe(404);

      const { rows } = await context.db.query(
        `SELECT count(*)::int AS n FROM exam_results WHERE student_id = $1`,
        [other.studentId],
      );
      expect(rows[0].n).toBe(0);
    });

    it('records a result once when the same form is submitted several times at once', async () => {
      const session = await createSession(context, { code: 'IDE-RACE' });
      const headers = await evaluator();
      const responses = await Promise.all(
        Array.from({ length: 6 }, () =>
          request(context.url)
            .post(`/api/v1/exam-sessions/${session.id}/results`)
            .set(headers)
            .send({ studentId: other.studentId, passed: true, score: 11 }),
        ),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
      expect(responses.filter((r) => r.body.outcome === 'unchanged')).toHaveLength(5);
      const { rows } = await context.db.query(
        `SELECT count(*)::int AS n FROM exam_result_revisions v JOIN exam_results r ON r.id = v.result_id WHERE r.session_id = $1`,
        [session.id],
      );
      expect(rows[0].n).toBe(1);
    });

    it('scores out of 100 in a session that says so', async () => {
      const session = await createSession(context, { code: 'IDE-100', scoreScale: 100 });
      const response = await request(context.url)
        .post(`/api/v1/exam-sessions/${session.id}/results`)
        .set(await evaluator())
        .send({ studentId: other.studentId, passed: true, score: 87.25 });
      expect(response.status).toBe(201);
      expect(response.body.result.score).toBe(87.25);
    });

    it('lists results with filters and pagination, readable by auditors and programme admins', async () => {
      await request(context.url)
        .post(`/api/v1/exam-sessions/${sessionId}/results`)
        .set(await evaluator())
        .send({ studentId: other.studentId, passed: false })
        .expect(201);
      const all = await request(context.url)
        .get(`/api/v1/exam-sessions/${sessionId}/results`)
        .set(await programmeAdmin());
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(2);
      expect(all.body.items.map((r: { studentId: string }) => r.studentId)).toEqual([
        known.studentId,
        other.studentId,
      ]);
      const failed = await request(context.url)
        .get(`/api/v1/exam-sessions/${sessionId}/results?passed=false`)
        .set(await auditor());
      expect(failed.body.items.map((r: { studentId: string }) => r.studentId)).toEqual([other.studentId]);
      const page = await request(context.url)
        .get(`/api/v1/exam-sessions/${sessionId}/results?limit=1&offset=1`)
        .set(await auditor());
      expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
      expect(page.body.items).toHaveLength(1);
      // An offset past Postgres' bigint used to reach the query and come back as a 500.
      for (const path of [
        '/api/v1/exam-sessions',
        `/api/v1/exam-sessions/${sessionId}/results`,
        '/api/v1/exam-result-imports',
        `/api/v1/exam-result-imports/${randomUUID()}/errors`,
      ]) {
        for (const offset of ['1e20', '99999999999999999999', '1000000001', 'abc', '0x10']) {
          const huge = await request(context.url)
            .get(`${path}?offset=${offset}`)
            .set(await auditor());
          expect({ path, offset, status: huge.status, errors: huge.body.errors }).toEqual({
            path,
            offset,
            status: 400,
            errors: [{ field: 'offset', problem: 'must be a whole number between 0 and 1000000000' }],
          });
        }
      }
      const last = await request(context.url)
        .get(`/api/v1/exam-sessions/${sessionId}/results?offset=1000000000`)
        .set(await auditor());
      expect(last.status).toBe(200);
      expect(last.body).toMatchObject({ items: [], total: 2, offset: 1000000000 });
      const bad = await request(context.url)
        .get(`/api/v1/exam-sessions/${sessionId}/results?passed=maybe`)
        .set(await auditor());
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('passed');
      const one = await request(context.url)
        .get(`/api/v1/exam-sessions/${sessionId}/results/${resultId}`)
        .set(await auditor());
      expect(one.body.revision).toBe(3);
    });
  });

  it('keeps the evaluation counts equal to the result rows', async () => {
    await expectCountsMatchResults(context);
  });
});
