import { waitFor } from '@scholarpay/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ExamResultImportRepository } from '../src/imports/exam-result-import.repository';
import { ProcessImportUseCase } from '../src/imports/process-import.use-case';
import {
  auditor,
  createSession,
  evaluator,
  newStudent,
  publishStudent,
  expectCountsMatchResults,
  startExamsForTest,
  waitForStudents,
  type ExamsTestContext,
  type StudentFacts,
} from './helpers';

jest.setTimeout(120000);

interface ImportBody {
  id: string;
  status: string;
  rowsTotal: number;
  rowsProcessed: number;
  rowsRecorded: number;
  rowsCorrected: number;
  rowsUnchanged: number;
  rowsFailed: number;
  rowsBlank: number;
  reused?: boolean;
  errors?: { recordNumber: number; line: number; field: string; code: string; problem: string }[];
  [key: string]: unknown;
}

describe('exams: CSV import of results', () => {
  let context: ExamsTestContext;
  let sessionId: string;
  const students: StudentFacts[] = Array.from({ length: 8 }, (_, i) =>
    newStudent({ nationalId: `ML${7000 + i}` }),
  );

  beforeAll(async () => {
    // Small batches, so one file spans several transactions; a small size limit to test 413.
    context = await startExamsForTest('imports', {
      EXAMS_IMPORT_BATCH_ROWS: '3',
      EXAMS_IMPORT_MAX_BYTES: '65536',
      EXAMS_IMPORT_MAX_ROWS: '500',
    });
    for (const student of students) await publishStudent(context, student);
    await waitForStudents(
      context,
      students.map((s) => s.studentId),
    );
    sessionId = (await createSession(context, { code: 'IDE-IMPORT' })).id;
  });

  afterAll(async () => {
    await context?.stop();
  });

  async function upload(
    content: string | Buffer,
    options: { name?: string; session?: string | null; via?: 'query' | 'field' } = {},
  ) {
    const target = options.session === undefined ? sessionId : options.session;
    const via = options.via ?? 'field';
    const call = request(context.url)
      .post(`/api/v1/exam-result-imports${target && via === 'query' ? `?sessionId=${target}` : ''}`)
      .set(await evaluator())
      .attach(
        'file',
        Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'),
        options.name ?? 'resultats.csv',
      );
    if (target && via === 'field') call.field('sessionId', target);
    return call;
  }

  async function finished(importId: string): Promise<ImportBody> {
    return waitFor(
      async () => {
        const response = await request(context.url)
          .get(`/api/v1/exam-result-imports/${importId}`)
          .set(await auditor());
        return response.body.status === 'completed' || response.body.status === 'failed'
          ? (response.body as ImportBody)
          : undefined;
      },
      { timeoutMs: 30000, description: `import ${importId} to finish` },
    );
  }

  async function resultOf(studentId: string, session = sessionId) {
    const { rows } = await context.db.query(
      `SELECT passed, score::float AS score, revision, source, import_id, reason FROM exam_results WHERE session_id = $1 AND student_id = $2`,
      [session, studentId],
    );
    return rows[0] as
      | {
          passed: boolean;
          score: number | null;
          revision: number;
          source: string;
          import_id: string;
          reason: string | null;
        }
      | undefined;
  }

  let firstImportId: string;
  const frenchFile = [
    '\ufeffN° NINA;Nom;Résultat;Note',
    `${students[0].nationalId};Maïga Aminata;Admis;14,5`,
    `${students[1].nationalId.toLowerCase()};Touré Ibrahim;ajourné;8`,
    `${students[2].nationalId};Cissé Fatoumata;réussi;`,
    ';;;',
    `ZZ999999;Inconnu;admis;12`,
    `${students[3].nationalId};Diarra Moussa;absent;11`,
    `${students[4].nationalId};Koné Awa;admis;21`,
    `${students[5].nationalId};Traoré Oumar;échoué;9,25`,
    `${students[5].nationalId};Traoré Oumar;admis;12`,
    `${students[6].nationalId};"Sidibé; Mariam";1;16`,
    '',
  ].join('\r\n');

  it('imports a French, semicolon-separated, BOM-prefixed CRLF file, reporting each bad row', async () => {
    const response = await upload(frenchFile);
    expect(response.status).toBe(202);
    expect(response.headers.location).toBe(`/api/v1/exam-result-imports/${response.body.id}`);
    expect(response.body).toMatchObject({
      sessionId,
      fileName: 'resultats.csv',
      encoding: 'utf-8',
      delimiter: ';',
      columns: { 'N° NINA': 'nationalId', Résultat: 'result', Note: 'score' },
      ignoredColumns: ['Nom'],
      rowsTotal: 10,
      uploadedBy: 'evaluator-awa',
      reused: false,
    });
    firstImportId = response.body.id;
    const done = await finished(firstImportId);
    expect(done).toMatchObject({
      status: 'completed',
      rowsTotal: 10,
      rowsProcessed: 10,
      rowsRecorded: 5,
      rowsCorrected: 0,
      rowsUnchanged: 0,
      rowsFailed: 4,
      rowsBlank: 1,
    });
    expect(done.errors!.map((e) => [e.line, e.field, e.code])).toEqual([
      [6, 'N° NINA', 'IMPORT.STUDENT_UNKNOWN'],
      [7, 'Résultat', 'IMPORT.RESULT_INVALID'],
      [8, 'Note', 'IMPORT.SCORE_OUT_OF_RANGE'],
      [10, 'N° NINA', 'IMPORT.DUPLICATE_STUDENT'],
    ]);
    expect(done.errors![2].problem).toBe('must be between 0 and 20 (this session scores out of 20)');
    expect(JSON.stringify(done.errors)).not.toContain('ZZ999999');

    expect(await resultOf(students[0].studentId)).toMatchObject({
      passed: true,
      score: 14.5,
      revision: 1,
      source: 'import',
      import_id: firstImportId,
    });
    expect(await resultOf(students[1].studentId)).toMatchObject({ passed: false, score: 8 });
    expect(await resultOf(students[2].studentId)).toMatchObject({ passed: true, score: null });
    expect(await resultOf(students[3].studentId)).toBeUndefined();
    expect(await resultOf(students[4].studentId)).toBeUndefined();
    expect(await resultOf(students[5].studentId)).toMatchObject({ passed: false, score: 9.25, revision: 1 });
    expect(await resultOf(students[6].studentId)).toMatchObject({ passed: true, score: 16 });

    const { rows } = await context.db.query(
      `SELECT count(*)::int AS n FROM outbox_events WHERE event_type = 'scholarpay.exams.result.recorded.v1' AND envelope->'data'->>'sessionId' = $1`,
      [sessionId],
    );
    expect(rows[0].n).toBe(5);

    const errors = await request(context.url)
      .get(`/api/v1/exam-result-imports/${firstImportId}/errors?limit=2&offset=2`)
      .set(await auditor());
    expect(errors.body).toMatchObject({ total: 4, limit: 2, offset: 2 });
    expect(errors.body.items.map((e: { recordNumber: number }) => e.recordNumber)).toEqual([7, 9]);
  });

  it('returns the first import when the same file is uploaded again, changing nothing', async () => {
    const again = await upload(frenchFile, { name: 'copie.csv', via: 'query' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: firstImportId, reused: true, status: 'completed' });
    const { rows } = await context.db.query(`SELECT count(*)::int AS n FROM exam_result_imports`);
    expect(rows[0].n).toBe(1);
    const revisions = await context.db.query(`SELECT count(*)::int AS n FROM exam_result_revisions`);
    expect(revisions.rows[0].n).toBe(5);
  });

  it('corrects results from a later file, keeping the earlier revision, and leaves identical rows unchanged', async () => {
    const corrected = [
      'national_id,result,score',
      `${students[0].nationalId},pass,14.5`,
      `${students[1].nationalId},pass,10.5`,
      `${students[3].nationalId},fail,7`,
    ].join('\n');
    const response = await upload(corrected, { name: 'deliberation-2.csv' });
    expect(response.status).toBe(202);
    const done = await finished(response.body.id);
    expect(done).toMatchObject({
      status: 'completed',
      rowsRecorded: 1,
      rowsCorrected: 1,
      rowsUnchanged: 1,
      rowsFailed: 0,
      delimiter: ',',
    });
    const second = await resultOf(students[1].studentId);
    expect(second).toMatchObject({ passed: true, score: 10.5, revision: 2, import_id: response.body.id });
    expect(second!.reason).toBe('corrected by import of "deliberation-2.csv" (line 3)');
    const { rows } = await context.db.query(
      `SELECT v.revision, v.passed, v.score::float AS score, v.import_id FROM exam_result_revisions v JOIN exam_results r ON r.id = v.result_id
        WHERE r.student_id = $1 ORDER BY v.revision`,
      [students[1].studentId],
    );
    expect(rows).toEqual([
      { revision: 1, passed: false, score: 8, import_id: firstImportId },
      { revision: 2, passed: true, score: 10.5, import_id: response.body.id },
    ]);
  });

  it('accepts a raw text/csv body with sessionId in the query, student ids, 1/0 results and tab separators', async () => {
    const other = (await createSession(context, { code: 'SF-IMPORT', cadre: 'sage-femme', scoreScale: 100 }))
      .id;
    const content = [
      'student_id\tresult\tscore',
      `${students[7].studentId.toUpperCase()}\t1\t77.5`,
      `${students[0].studentId}\t0\t40`,
    ].join('\n');
    const response = await request(context.url)
      .post(`/api/v1/exam-result-imports?sessionId=${other}`)
      .set(await evaluator())
      .set('content-type', 'text/csv; charset=utf-8')
      .set('x-file-name', 'sages-femmes.csv')
      .send(content);
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ fileName: 'sages-femmes.csv', delimiter: '\t', rowsTotal: 2 });
    const done = await finished(response.body.id);
    expect(done).toMatchObject({ rowsRecorded: 2, rowsFailed: 0 });
    expect(await resultOf(students[7].studentId, other)).toMatchObject({ passed: true, score: 77.5 });
  });

  it('reads Windows-1252 files as Excel saves them', async () => {
    const content = Buffer.from(['nina;résultat', `${students[2].nationalId};réussi`].join('\r\n'), 'latin1');
    const response = await upload(content, {
      session: (await createSession(context, { code: 'IDE-CP1252' })).id,
    });
    expect(response.status).toBe(202);
    expect(response.body.encoding).toBe('windows-1252');
    expect(response.body.columns).toEqual({ nina: 'nationalId', résultat: 'result' });
    expect(await finished(response.body.id)).toMatchObject({ rowsRecorded: 1 });
  });

  it('refuses files it cannot read, with a clear 4xx and nothing stored', async () => {
    const badHeader = await upload('nom,note\nAminata,12\n');
    expect(badHeader.status).toBe(400);
    expect(badHeader.body.code).toBe('IMPORT.BAD_HEADER');
    expect(badHeader.body.message).toContain('the file needs a result column');

    const empty = await upload('');
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('IMPORT.EMPTY_FILE');

    const headerOnly = await upload('nina;resultat\r\n');
    expect(headerOnly.status).toBe(400);
    expect(headerOnly.body.code).toBe('IMPORT.NO_ROWS');

    const unclosed = await upload(
      `nina,result\n${students[0].nationalId},"pass\n${students[1].nationalId},fail\n`,
    );
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.code).toBe('IMPORT.MALFORMED_CSV');

    const noSession = await upload('nina,result\nA,pass\n', { session: null });
    expect(noSession.status).toBe(400);
    expect(noSession.body.errors).toEqual([{ field: 'sessionId', problem: 'is required' }]);

    const badSession = await upload('nina,result\nA,pass\n', { session: 'nope' });
    expect(badSession.status).toBe(400);
    expect(badSession.body.code).toBe('IMPORT.SESSION_ID_INVALID');

    const unknownSession = await upload('nina,result\nA,pass\n', { session: randomUUID() });
    expect(unknownSession.status).toBe(404);

    const json = await request(context.url)
      .post('/api/v1/exam-result-imports')
      .set(await evaluator())
      .send({ file: 'x' });
    expect(json.status).toBe(415);
    expect(json.body.code).toBe('IMPORT.UNSUPPORTED_MEDIA_TYPE');

    const noFile = await request(context.url)
      .post('/api/v1/exam-result-imports')
      .set(await evaluator())
      .field('sessionId', sessionId);
    expect(noFile.status).toBe(400);
    expect(noFile.body.code).toBe('IMPORT.FILE_MISSING');

    const big = await upload(`nina,result\n${'ML0001,pass\n'.repeat(7000)}`);
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('IMPORT.FILE_TOO_LARGE');

    const many = await upload(`nina,result\n${'ML0001,pass\n'.repeat(501)}`);
    expect(many.status).toBe(413);
    expect(many.body.code).toBe('IMPORT.TOO_MANY_ROWS');

    const readOnly = await request(context.url)
      .post('/api/v1/exam-result-imports')
      .set(await auditor())
      .attach('file', Buffer.from('nina,result\nA,pass\n'), 'x.csv')
      .field('sessionId', sessionId);
    expect(readOnly.status).toBe(403);

    const { rows } = await context.db.query(`SELECT count(*)::int AS n FROM exam_result_imports`);
    expect(rows[0].n).toBe(4);
  });

  it('resumes an interrupted import after its last committed batch, applying no row twice', async () => {
    const session = (await createSession(context, { code: 'IDE-RESUME' })).id;
    const content = [
      'nina,result',
      ...students.slice(0, 7).map((s, i) => `${s.nationalId},${i % 2 ? 'fail' : 'pass'}`),
    ].join('\n');
    // Simulate a crash after the first batch (3 rows): the import is 'processing' with 3 rows done,
    // and those rows' results exist. Then the job runs again.
    const importId = randomUUID();
    await context.db.query(
      `INSERT INTO exam_result_imports (id, session_id, file_name, file_sha256, file_size, encoding, delimiter, content, columns, ignored_columns,
                                        status, rows_total, rows_processed, rows_recorded, uploaded_by, started_at)
       VALUES ($1, $2, 'crash.csv', 'sha-of-crash', $3, 'utf-8', ',', $4, '{"nina":"nationalId","result":"result"}', '[]', 'processing', 7, 3, 1, 'evaluator-awa', now())`,
      [importId, session, Buffer.byteLength(content), Buffer.from(content)],
    );
    await context.db.query(
      `INSERT INTO exam_results (id, session_id, student_id, passed, revision, recorded_by, recorded_at, source, import_id, first_recorded_at, student_known)
       VALUES ($1, $2, $3, true, 1, 'evaluator-awa', now(), 'import', $4, now(), true)`,
      [randomUUID(), session, students[0].studentId, importId],
    );
    await context.app.get(ProcessImportUseCase).execute(importId);
    const done = await finished(importId);
    expect(done).toMatchObject({ status: 'completed', rowsProcessed: 7, rowsRecorded: 5, rowsFailed: 0 });
    const { rows } = await context.db.query(
      `SELECT student_id FROM exam_results WHERE session_id = $1 ORDER BY student_id`,
      [session],
    );
    // Rows 2 and 3 were "committed" by the first attempt in this simulation but without results; the
    // resumed run must not revisit them, which is what makes resumption exactly-once.
    expect(rows.map((r: { student_id: string }) => r.student_id).sort()).toEqual(
      [students[0], ...students.slice(3, 7)].map((s) => s.studentId).sort(),
    );
    // Running it again changes nothing.
    await context.app.get(ProcessImportUseCase).execute(importId);
    const again = await context.db.query(
      `SELECT count(*)::int AS n FROM exam_results WHERE session_id = $1`,
      [session],
    );
    expect(again.rows[0].n).toBe(5);
  });

  async function typeIn(session: string, studentId: string, passed: boolean, score: number) {
    const response = await request(context.url)
      .post(`/api/v1/exam-sessions/${session}/results`)
      .set(await evaluator())
      .send({ studentId, passed, score });
    expect(response.status).toBe(201);
  }

  it('refuses a student listed twice with different results even when the first row equals the typed-in result', async () => {
    const session = (await createSession(context, { code: 'IDE-DUP-TYPED' })).id;
    const student = students[0].studentId;
    await typeIn(session, student, false, 8);
    const response = await upload(`student_id,result,score\n${student},fail,8\n${student},pass,15\n`, {
      name: 'doublon.csv',
      session,
    });
    expect(response.status).toBe(202);
    const done = await finished(response.body.id);
    expect(done).toMatchObject({ status: 'completed', rowsUnchanged: 1, rowsCorrected: 0, rowsFailed: 1 });
    expect(done.errors).toEqual([
      expect.objectContaining({
        recordNumber: 2,
        line: 3,
        field: 'student_id',
        code: 'IMPORT.DUPLICATE_STUDENT',
      }),
    ]);
    expect(await resultOf(student, session)).toMatchObject({
      passed: false,
      score: 8,
      revision: 1,
      source: 'entry',
    });
  });

  it('refuses the duplicate in a later batch, and after the import resumes from a crash between batches', async () => {
    const session = (await createSession(context, { code: 'IDE-DUP-RESUME' })).id;
    const student = students[1].studentId;
    await typeIn(session, student, false, 8);
    // Batches of 3: the student's first row (unchanged) is in the first batch, the conflicting
    // row in the second; the identical repeat in the second batch is harmless.
    const content = [
      'student_id,result,score',
      `${student},fail,8`,
      `${students[2].studentId},pass,12`,
      `${students[3].studentId},pass,13`,
      `${student},pass,15`,
      `${student},fail,8`,
    ].join('\n');
    const importId = randomUUID();
    await context.db.query(
      `INSERT INTO exam_result_imports (id, session_id, file_name, file_sha256, file_size, encoding, delimiter, content, columns, ignored_columns,
                                        status, rows_total, uploaded_by)
       VALUES ($1, $2, 'reprise.csv', 'sha-of-reprise', $3, 'utf-8', ',', $4, '{"student_id":"studentId","result":"result","score":"score"}', '[]', 'queued', 5, 'evaluator-awa')`,
      [importId, session, Buffer.byteLength(content), Buffer.from(content)],
    );
    // The worker dies while applying the second batch: only the first batch is committed.
    const imports = context.app.get(ExamResultImportRepository);
    const recordBatch = imports.recordBatch.bind(imports);
    const crash = jest
      .spyOn(imports, 'recordBatch')
      .mockImplementationOnce(recordBatch)
      .mockImplementationOnce(() => Promise.reject(new Error('worker killed')));
    try {
      await expect(context.app.get(ProcessImportUseCase).execute(importId)).rejects.toThrow('worker killed');
    } finally {
      crash.mockRestore();
    }
    const interrupted = await context.db.query(
      `SELECT status, rows_processed, rows_unchanged FROM exam_result_imports WHERE id = $1`,
      [importId],
    );
    expect(interrupted.rows[0]).toEqual({ status: 'processing', rows_processed: 3, rows_unchanged: 1 });

    await context.app.get(ProcessImportUseCase).execute(importId);
    const done = await finished(importId);
    expect(done).toMatchObject({
      status: 'completed',
      rowsProcessed: 5,
      rowsRecorded: 2,
      rowsUnchanged: 2,
      rowsCorrected: 0,
      rowsFailed: 1,
    });
    expect(done.errors).toEqual([
      expect.objectContaining({ recordNumber: 4, line: 5, code: 'IMPORT.DUPLICATE_STUDENT' }),
    ]);
    expect(await resultOf(student, session)).toMatchObject({ passed: false, score: 8, revision: 1 });
  });

  it('keeps the evaluation counts equal to the result rows', async () => {
    await expectCountsMatchResults(context);
  });
});
