import { EventTypes } from '@scholarpay/contracts';
import { redisConnectionOptions } from '@scholarpay/platform';
import { bearer, waitFor } from '@scholarpay/testing';
import { Queue } from 'bullmq';
import http from 'node:http';
import request from 'supertest';
import { ProcessStudentImportUseCase } from '../src/imports/process-student-import.use-case';
import { IMPORT_QUEUE } from '../src/imports/student-import.jobs';
import { EnrolmentHarness } from './enrolment-harness';

type Headers = { Authorization: string };
/** The fields of an import answer these tests read. */
interface ImportBody {
  status: string;
  sha256: string;
  rejections: { row: number; column: string | null; message: string }[];
  rejectionsNextCursor: string | null;
  [field: string]: unknown;
}

const MAX_BYTES = 256 * 1024;
const QUEUE_PREFIX = 'enrolment-import-test';

const ENGLISH_HEADER =
  'national_id,first_name,last_name,sex,date_of_birth,region_of_origin,school_code,programme_of_study,intake_year,phone,operator';

describe('enrolment: CSV imports', () => {
  let harness: EnrolmentHarness;
  let programmeAdmin: Headers;
  let gaoAdmin: Headers;
  let otherGaoAdmin: Headers;
  let auditor: Headers;
  let gaoId: string;
  let phoneCounter = 0;

  const api = () => request(harness.url);
  /** A Malian mobile number no other row of this suite uses, written the way schools write it. */
  const nextPhone = () => {
    phoneCounter += 1;
    const digits = String(phoneCounter).padStart(6, '0');
    return `76 ${digits.slice(0, 2)} ${digits.slice(2, 4)} ${digits.slice(4, 6)}`;
  };

  async function uploadCsv(
    body: string | Buffer,
    as: Headers = programmeAdmin,
    contentType = 'text/csv; charset=utf-8',
  ) {
    return api().post('/api/v1/student-imports').set(as).set('Content-Type', contentType).send(body);
  }

  async function finished(importId: string, as: Headers = programmeAdmin): Promise<ImportBody> {
    return waitFor<ImportBody>(
      async () => {
        const response = await api().get(`/api/v1/student-imports/${importId}`).set(as);
        return response.body.status === 'completed' || response.body.status === 'failed'
          ? response.body
          : undefined;
      },
      { timeoutMs: 60000, description: `import ${importId} to finish` },
    );
  }

  async function importsCount(): Promise<number> {
    const [{ count }] = await harness.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM student_imports',
    );
    return count;
  }

  beforeAll(async () => {
    harness = await EnrolmentHarness.start('student_imports', 3, {
      IMPORT_MAX_BYTES: String(MAX_BYTES),
      IMPORT_CHUNK_ROWS: '100',
      IMPORT_QUEUE_PREFIX: QUEUE_PREFIX,
    });
    programmeAdmin = await bearer('programme-officer', ['programme_admin']);
    auditor = await bearer('auditor-1', ['auditor']);
    const gao = await api()
      .post('/api/v1/schools')
      .set(programmeAdmin)
      .send({ code: 'ESS-GAO', name: 'École de Santé de Gao', region: 'Gao', city: 'Gao' });
    gaoId = gao.body.id;
    await api()
      .post('/api/v1/schools')
      .set(programmeAdmin)
      .send({ code: 'ESS-KIDAL', name: 'École de Santé de Kidal', region: 'Kidal', city: 'Kidal' })
      .expect(201);
    gaoAdmin = await bearer('gao-registrar', ['school_admin'], [gaoId]);
    otherGaoAdmin = await bearer('gao-deputy', ['school_admin'], [gaoId]);
  });

  afterAll(async () => {
    await harness?.stop();
  });

  describe('an English file with a BOM and Windows line endings, good and bad rows', () => {
    const rows = () => [
      `ML-E001,Aïssata,N'Diaye,F,2001-03-14,Tombouctou,ESS-GAO,nursing,2019,${nextPhone()},`,
      `ML-E002,Sékou,Traoré,M,2000-12-01,MENAKA,ess-gao,midwifery,2019,${nextPhone()},moov`,
      `ML-E003,Fatoumata,Ould Mohamed,F,2001-02-31,Gao,ESS-GAO,nursing,2019,,`,
      `ML-E004,Moussa,Keïta,M,2000-01-01,Atlantis,ESS-NOWHERE,nursing,2019,,`,
      `ML-E005,Awa,Diallo,F,2008-05-05,Kidal,ESS-GAO,nursing,2019,,`,
      `ML-E001,Aïssata,N'Diaye,F,2001-03-14,Tombouctou,ESS-GAO,nursing,2019,,`,
      `ML-E006,"Mariam",Coulibaly,f,2001-07-07,District de Bamako,ESS-GAO,Sage-femme,2019,12,`,
      `ML-E007,Hawa,Cissé,F,2001-07-07,Taoudénit,ESS-GAO,nursing,2019,${nextPhone()},`,
    ];
    let file: string;
    let outcome: ImportBody;
    let correlationId: string;

    beforeAll(async () => {
      file = `\ufeff${ENGLISH_HEADER}\r\n${rows().join('\r\n')}\r\n`;
      const response = await uploadCsv(file);
      correlationId = response.headers['x-correlation-id'];
      expect(response.status).toBe(202);
      expect(response.body).toMatchObject({ importId: expect.any(String), status: 'queued', totalRows: 8 });
      expect(response.headers.location).toBe(`/api/v1/student-imports/${response.body.importId}`);
      outcome = await finished(response.body.importId);
    });

    it('applies the valid rows and counts every outcome', () => {
      expect(outcome).toMatchObject({
        status: 'completed',
        totalRows: 8,
        rowsProcessed: 8,
        created: 3,
        updated: 0,
        unchanged: 0,
        rejected: 5,
        encoding: 'utf-8',
        delimiter: ',',
        requestedBy: 'programme-officer',
      });
    });

    it('lists each rejected row with its line, column and problem', () => {
      expect(outcome.rejections).toEqual([
        { row: 4, column: 'date_of_birth', message: '2001-02-31 is not a real date' },
        { row: 5, column: 'region_of_origin', message: expect.stringContaining('is not a region of Mali') },
        { row: 5, column: 'school_code', message: 'no school has the code "ESS-NOWHERE"' },
        { row: 6, column: 'date_of_birth', message: expect.stringContaining('the minimum age is 15') },
        {
          row: 7,
          column: 'national_id',
          message: 'the same national id is already on row 2 of this file; a student may appear only once',
        },
        { row: 8, column: 'phone', message: expect.stringContaining('not a valid phone number') },
      ]);
    });

    it('stores the valid rows in canonical form and announces each new student', async () => {
      const listed = await api().get('/api/v1/students').query({ q: 'sekou' }).set(programmeAdmin);
      expect(listed.body.items).toEqual([
        expect.objectContaining({
          nationalId: 'ML-E002',
          regionOfOrigin: 'Ménaka',
          programmeOfStudy: 'midwifery',
          operator: 'moov',
          schoolCode: 'ESS-GAO',
          version: 1,
        }),
      ]);
      await harness.settle();
      const registered = harness.events.filter(
        (event) => event.envelope.type === EventTypes.studentRegistered,
      );
      expect(
        registered.map((event) => (event.envelope.data.student as { nationalId: string }).nationalId).sort(),
      ).toEqual(['ML-E001', 'ML-E002', 'ML-E007']);
      for (const event of registered) {
        expect(event.key).toBe(event.envelope.subject);
        // Each event follows the upload request that caused it.
        expect(event.envelope.correlationid).toBe(correlationId);
        expect(event.envelope.data.student).toMatchObject({ version: 1, status: 'enrolled' });
      }
    });

    it('changes nothing and publishes nothing when the same file comes again', async () => {
      await harness.settle();
      const eventsBefore = harness.events.length;
      const again = await uploadCsv(file);
      const second = await finished(again.body.importId);
      expect(second).toMatchObject({
        status: 'completed',
        created: 0,
        updated: 0,
        unchanged: 3,
        rejected: 5,
      });
      expect(second.sha256).toBe(outcome.sha256);
      await harness.settle();
      expect(harness.events.length).toBe(eventsBefore);
    });

    it('updates only what changed when a corrected file comes', async () => {
      const students = await harness.query<{ id: string; phone: string }>(
        `SELECT id, phone FROM students WHERE national_id = 'ML-E007'`,
      );
      const corrected = file.replace('Hawa,Cissé', 'Hawa,Cissé-Touré');
      const response = await uploadCsv(corrected);
      const third = await finished(response.body.importId);
      expect(third).toMatchObject({ created: 0, updated: 1, unchanged: 2, rejected: 5 });
      await harness.settle();
      const updates = harness
        .eventsAbout(students[0].id)
        .filter((event) => event.envelope.type === EventTypes.studentUpdated);
      expect(updates.map((event) => event.envelope.data)).toEqual([
        {
          student: expect.objectContaining({ version: 2, lastName: 'Cissé-Touré', phone: students[0].phone }),
          changes: { lastName: { from: 'Cissé', to: 'Cissé-Touré' } },
          changedBy: 'programme-officer',
          reason: expect.stringMatching(new RegExp(`^updated by CSV import ${response.body.importId}, row \\d+$`)),
        },
      ]);
      // The correction is in the student's change history too, in the batch's transaction.
      expect(
        await harness.query(
          'SELECT version, changes, reason, changed_by FROM student_changes WHERE student_id = $1',
          [students[0].id],
        ),
      ).toEqual([
        {
          version: 2,
          changes: { lastName: { from: 'Cissé', to: 'Cissé-Touré' } },
          reason: expect.stringContaining(`CSV import ${response.body.importId}`),
          changed_by: 'programme-officer',
        },
      ]);
    });
  });

  it('reads a French file with semicolons, accented headers and spreadsheet dates', async () => {
    const phone = nextPhone();
    const file = [
      'NINA;Prénom;Nom;Sexe;Date de naissance;Région d’origine;Code école;Filière;Année d’entrée;Téléphone;Opérateur;Remarques',
      `ml-f001;Aminata;Maïga;Féminin;05/09/2001;tombouctou;ESS-GAO;Soins infirmiers;2020;${phone};Orange Money;boursière`,
      'ML-F002;Ibrahim;Ag Alhassane;Masculin;1999-11-30;Kidal;ESS-GAO;Sage-femme;2020;;;',
      'ML-F003;Oumou;Sangaré;F;30/02/2001;Gao;ESS-GAO;Soins infirmiers;2020;;;',
    ].join('\n');
    const response = await uploadCsv(Buffer.from(file, 'utf8'), programmeAdmin, 'text/csv');
    expect(response.status).toBe(202);
    const outcome = await finished(response.body.importId);
    expect(outcome).toMatchObject({ created: 2, rejected: 1, delimiter: ';', ignoredColumns: ['Remarques'] });
    expect(outcome.rejections).toEqual([
      { row: 4, column: 'Date de naissance', message: '2001-02-30 is not a real date' },
    ]);
    const [aminata] = (await api().get('/api/v1/students').query({ q: 'aminata maiga' }).set(programmeAdmin))
      .body.items;
    expect(aminata).toMatchObject({
      nationalId: 'ML-F001',
      sex: 'F',
      dateOfBirth: '2001-09-05',
      regionOfOrigin: 'Tombouctou',
      programmeOfStudy: 'nursing',
      operator: 'orange',
    });
  });

  it('reads a Windows-1252 file as older Excel versions save it', async () => {
    const text = `national_id;prénom;nom;sexe;date_de_naissance;région;école;filière;promotion\r\nML-W001;Aïcha;Traoré;F;2001-01-01;Ségou;ESS-GAO;nursing;2020\r\n`;
    const bytes = Buffer.from(
      new Uint8Array(
        [...text].map((char) => ({ é: 0xe9, ï: 0xef, É: 0xc9, è: 0xe8 })[char] ?? char.charCodeAt(0)),
      ),
    );
    const response = await uploadCsv(bytes);
    expect(response.status).toBe(202);
    const outcome = await finished(response.body.importId);
    expect(outcome).toMatchObject({ encoding: 'windows-1252', created: 1, rejected: 0 });
    const [aicha] = (await api().get('/api/v1/students').query({ q: 'aicha' }).set(programmeAdmin)).body
      .items;
    expect(aicha).toMatchObject({ firstName: 'Aïcha', lastName: 'Traoré', regionOfOrigin: 'Ségou' });
  });

  it('refuses a small file with a UTF-8 row and a Windows-1252 row, instead of misreading the UTF-8 one', async () => {
    const before = await importsCount();
    const bytes = Buffer.concat([
      Buffer.from(`${ENGLISH_HEADER}\nML-MIX1,Awa,Dembélé,F,2001-02-03,Ségou,ESS-GAO,nursing,2021,,\n`, 'utf8'),
      Buffer.from('ML-MIX2,Fanta,Traoré,F,2001-02-03,Ségou,ESS-GAO,nursing,2021,,\n', 'latin1'),
    ]);
    const response = await uploadCsv(bytes);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'IMPORT.NOT_UTF8',
      errors: [{ field: 'file', problem: expect.stringContaining('UTF-8') }],
    });
    expect(await importsCount()).toBe(before);
  });

  it('reads a Windows-1252 file whose last byte is an accented letter', async () => {
    // Its only non-ASCII byte is the very last one: no line end after the final row.
    const text = [
      'national_id,first_name,sex,date_of_birth,region_of_origin,school_code,programme_of_study,intake_year,last_name',
      'ML-W002,Fanta,F,2001-01-01,Kayes,ESS-GAO,nursing,2020,Diarra',
      'ML-W003,Mariam,F,2001-01-01,Gao,ESS-GAO,nursing,2020,Touré',
    ].join('\r\n');
    const response = await uploadCsv(Buffer.from(text, 'latin1'));
    expect(response.status).toBe(202);
    const outcome = await finished(response.body.importId);
    expect(outcome).toMatchObject({ encoding: 'windows-1252', created: 2, rejected: 0 });
    const [mariam] = (await api().get('/api/v1/students').query({ q: 'mariam toure' }).set(programmeAdmin))
      .body.items;
    expect(mariam).toMatchObject({ lastName: 'Touré', regionOfOrigin: 'Gao' });
  });

  it('takes a multipart upload with the file in the "file" part', async () => {
    const file = `${ENGLISH_HEADER}\nML-M001,Kadiatou,Sidibé,F,2001-04-04,Mopti,ESS-GAO,nursing,2021,${nextPhone()},\n`;
    const response = await api()
      .post('/api/v1/student-imports')
      .set(programmeAdmin)
      .field('note', 'March intake')
      .attach('file', Buffer.from(file), {
        filename: 'inscriptions-mars.csv',
        contentType: 'application/vnd.ms-excel',
      });
    expect(response.status).toBe(202);
    const outcome = await finished(response.body.importId);
    expect(outcome).toMatchObject({ fileName: 'inscriptions-mars.csv', created: 1 });

    const noFile = await api()
      .post('/api/v1/student-imports')
      .set(programmeAdmin)
      .field('note', 'forgot the file');
    expect(noFile.status).toBe(400);
    expect(noFile.body.code).toBe('IMPORT.NO_FILE');
  });

  describe('refusals that keep nothing', () => {
    const bigFile = () => {
      const line = `ML-B000,Aïssata,N'Diaye,F,2001-03-14,Gao,ESS-GAO,nursing,2019,,\n`;
      return `${ENGLISH_HEADER}\n${line.repeat(Math.ceil((MAX_BYTES + 1000) / line.length))}`;
    };

    it('answers 413 for a file over IMPORT_MAX_BYTES, raw or multipart, declared or streamed', async () => {
      const before = await importsCount();
      const raw = await uploadCsv(bigFile());
      expect(raw.status).toBe(413);
      expect(raw.body).toMatchObject({ code: 'IMPORT.FILE_TOO_LARGE', details: { maxBytes: MAX_BYTES } });
      const multipart = await api()
        .post('/api/v1/student-imports')
        .set(programmeAdmin)
        .attach('file', Buffer.from(bigFile()), 'big.csv');
      expect(multipart.status).toBe(413);
      // Chunked, with no Content-Length: the limit is enforced while streaming.
      const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = new URL('/api/v1/student-imports', harness.url);
        const req = http.request(
          url,
          {
            method: 'POST',
            headers: { ...programmeAdmin, 'Content-Type': 'text/csv', 'Transfer-Encoding': 'chunked' },
          },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        const data = Buffer.from(bigFile());
        for (let index = 0; index < data.length; index += 16 * 1024)
          req.write(data.subarray(index, index + 16 * 1024));
        req.end();
      });
      expect(streamed.status).toBe(413);
      expect(await importsCount()).toBe(before);
      const [{ count }] = await harness.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM student_import_file_chunks',
      );
      expect(count).toBe(0);
    });

    it('answers 415 for bodies that are not CSV and 400 for text without a usable header', async () => {
      const before = await importsCount();
      const json = await api().post('/api/v1/student-imports').set(programmeAdmin).send({ students: [] });
      expect(json.status).toBe(415);
      expect(json.body.code).toBe('IMPORT.UNSUPPORTED_MEDIA_TYPE');
      const png = await uploadCsv(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
      expect(png.status).toBe(415);
      expect(png.body.code).toBe('IMPORT.NOT_CSV');
      const xlsx = await api()
        .post('/api/v1/student-imports')
        .set(programmeAdmin)
        .attach('file', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]), 'students.xlsx');
      expect(xlsx.status).toBe(415);
      expect(xlsx.body.message).toContain('Excel');
      const letter = await uploadCsv('Dear Sir,\nplease find our students attached.\n');
      expect(letter.status).toBe(400);
      expect(letter.body.code).toBe('IMPORT.NOT_CSV');
      const missing = await uploadCsv('nina;prénom;nom\nML1;A;B\n');
      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({
        code: 'IMPORT.HEADER_INVALID',
        details: { missingColumns: expect.arrayContaining(['date_of_birth (date_de_naissance)']) },
      });
      const empty = await uploadCsv('');
      expect(empty.status).toBe(400);
      expect(await importsCount()).toBe(before);
    });

    it('lets only programme and school administrators upload', async () => {
      expect((await uploadCsv(`${ENGLISH_HEADER}\n`, auditor)).status).toBe(403);
      expect(
        (
          await api()
            .post('/api/v1/student-imports')
            .set('Content-Type', 'text/csv')
            .send(`${ENGLISH_HEADER}\n`)
        ).status,
      ).toBe(401);
    });
  });

  it('rejects, row by row, what a school administrator may not touch, and shows imports only to their uploader', async () => {
    const file = [
      ENGLISH_HEADER,
      `ML-S001,Assétou,Dembélé,F,2001-01-01,Gao,ESS-GAO,nursing,2021,${nextPhone()},`,
      `ML-S002,Boubacar,Touré,M,2001-01-01,Kidal,ESS-KIDAL,nursing,2021,${nextPhone()},`,
    ].join('\n');
    const response = await uploadCsv(file, gaoAdmin);
    expect(response.status).toBe(202);
    const outcome = await finished(response.body.importId, gaoAdmin);
    expect(outcome).toMatchObject({ created: 1, rejected: 1, requestedBy: 'gao-registrar' });
    expect(outcome.rejections).toEqual([
      { row: 3, column: 'school_code', message: 'ESS-KIDAL is not one of the schools you administer' },
    ]);
    expect(
      (await api().get(`/api/v1/student-imports/${response.body.importId}`).set(otherGaoAdmin)).status,
    ).toBe(403);
    expect((await api().get(`/api/v1/student-imports/${response.body.importId}`).set(auditor)).status).toBe(
      200,
    );
    expect(
      (await api().get('/api/v1/student-imports/7d3f1a52-8a43-4f4e-9d0b-3c6f0b7c2a11').set(auditor)).status,
    ).toBe(404);
  });

  it('does not tell a school administrator which student or school holds a national id or phone elsewhere', async () => {
    const kidalPhone = nextPhone();
    const seeded = [
      ENGLISH_HEADER,
      `ML-K001,Aminata,Touré,F,2001-01-01,Kidal,ESS-KIDAL,nursing,2021,${kidalPhone},`,
    ].join('\n');
    const seededImport = await uploadCsv(seeded);
    expect(await finished(seededImport.body.importId)).toMatchObject({ created: 1 });
    const [kidalStudent] = await harness.query<{ id: string }>(
      `SELECT id FROM students WHERE national_id = 'ML-K001'`,
    );

    const file = [
      ENGLISH_HEADER,
      `ML-K001,Aminata,Touré,F,2001-01-01,Kidal,ESS-GAO,nursing,2021,,`,
      `ML-G001,Oumou,Sangaré,F,2001-01-01,Gao,ESS-GAO,nursing,2021,${kidalPhone},`,
    ].join('\n');
    const response = await uploadCsv(file, gaoAdmin);
    const outcome = await finished(response.body.importId, gaoAdmin);
    expect(outcome.rejections).toEqual([
      { row: 2, column: 'national_id', message: 'is already registered for a student you do not administer' },
      { row: 3, column: 'phone', message: 'already belongs to another active student' },
    ]);
    expect(JSON.stringify(outcome)).not.toMatch(new RegExp(`${kidalStudent.id}|ESS-KIDAL`));
  });

  it('pages through many rejected rows', async () => {
    const bad = Array.from(
      { length: 150 },
      (_, index) =>
        `ML-R${String(index).padStart(3, '0')},Awa,Diallo,F,2001-02-30,Gao,ESS-GAO,nursing,2021,,`,
    );
    const response = await uploadCsv(`${ENGLISH_HEADER}\n${bad.join('\n')}\n`);
    const outcome = await finished(response.body.importId);
    expect(outcome).toMatchObject({ rejected: 150, rowsProcessed: 150 });
    expect(outcome.rejections).toHaveLength(100);
    expect(outcome.rejectionsNextCursor).toEqual(expect.any(String));
    const rows: number[] = outcome.rejections.map((rejection: { row: number }) => rejection.row);
    let cursor: string | null = outcome.rejectionsNextCursor;
    while (cursor) {
      const page = await api()
        .get(`/api/v1/student-imports/${response.body.importId}/rejections`)
        .query({ cursor, limit: 30 })
        .set(programmeAdmin);
      expect(page.status).toBe(200);
      rows.push(...page.body.items.map((rejection: { row: number }) => rejection.row));
      cursor = page.body.nextCursor;
    }
    expect(rows).toEqual(Array.from({ length: 150 }, (_, index) => index + 2));
    for (const limit of ['abc', '0', '1001', '2.5']) {
      const refused = await api()
        .get(`/api/v1/student-imports/${response.body.importId}/rejections`)
        .query({ limit })
        .set(programmeAdmin);
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([
        { field: 'limit', problem: 'must be a whole number between 1 and 1000' },
      ]);
    }
  });

  it('reports an unclosed quote at its row and keeps the rows before it', async () => {
    const file = [
      ENGLISH_HEADER,
      `ML-Q001,Salimata,Koné,F,2001-01-01,Sikasso,ESS-GAO,nursing,2021,${nextPhone()},`,
      `ML-Q002,"Djénéba,Koné,F,2001-01-01,Sikasso,ESS-GAO,nursing,2021,,`,
      `ML-Q003,Nana,Koné,F,2001-01-01,Sikasso,ESS-GAO,nursing,2021,,`,
    ].join('\n');
    const outcome = await finished((await uploadCsv(file)).body.importId);
    expect(outcome).toMatchObject({ created: 1, rejected: 1 });
    expect(outcome.rejections).toEqual([
      { row: 3, column: null, message: expect.stringContaining('never closed') },
    ]);
  });

  it('resumes after a restart where the last committed batch ended, applying and announcing each row once', async () => {
    const queue = new Queue(IMPORT_QUEUE, {
      connection: redisConnectionOptions(harness.redisUrl),
      prefix: QUEUE_PREFIX,
    });
    try {
      await queue.pause();
      const rows = Array.from(
        { length: 250 },
        (_, index) =>
          `ML-X${String(index).padStart(4, '0')},Mamadou,Sissoko,M,2000-06-15,Koulikoro,ESS-GAO,nursing,2022,${nextPhone()},`,
      );
      const response = await uploadCsv(`${ENGLISH_HEADER}\n${rows.join('\n')}\n`);
      expect(response.status).toBe(202);
      const importId: string = response.body.importId;

      // The first run applies one batch of 100 rows, then its process goes away.
      const process = harness.app.get(ProcessStudentImportUseCase);
      await expect(process.execute(importId, 100, { shouldStop: () => true })).resolves.toBe('interrupted');
      const partial = (await api().get(`/api/v1/student-imports/${importId}`).set(programmeAdmin)).body;
      expect(partial).toMatchObject({
        status: 'processing',
        rowsProcessed: 100,
        created: 100,
        totalRows: 250,
      });
      await harness.stopService();

      await harness.startService();
      await queue.resume();
      const outcome = await finished(importId);
      expect(outcome).toMatchObject({ status: 'completed', rowsProcessed: 250, created: 250, rejected: 0 });

      await harness.settle();
      const [{ students }] = await harness.query<{ students: number }>(
        `SELECT count(*)::int AS students FROM students WHERE national_id LIKE 'ML-X%'`,
      );
      expect(students).toBe(250);
      const registrations = harness.events.filter(
        (event) =>
          event.envelope.type === EventTypes.studentRegistered &&
          (event.envelope.data.student as { nationalId: string }).nationalId.startsWith('ML-X'),
      );
      expect(registrations).toHaveLength(250);
      expect(new Set(registrations.map((event) => event.key)).size).toBe(250);
      const [{ chunks }] = await harness.query<{ chunks: number }>(
        'SELECT count(*)::int AS chunks FROM student_import_file_chunks WHERE import_id = $1',
        [importId],
      );
      expect(chunks).toBe(0);
    } finally {
      await queue.resume().catch(() => undefined);
      await queue.close();
    }
  });
});
