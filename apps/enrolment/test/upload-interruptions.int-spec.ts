import {
  bearer,
  createTestDatabase,
  freePort,
  KafkaTestBroker,
  ServiceProcess,
  serviceTestEnv,
  startServiceProcess,
  startTestBroker,
  testRedisUrl,
  waitFor,
} from '@scholarpay/testing';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { Client } from 'pg';
import request from 'supertest';

const HEADER =
  'national_id,first_name,last_name,sex,date_of_birth,region_of_origin,school_code,programme_of_study,intake_year,phone,operator';
const BOUNDARY = 'scholarpay-cut-off-boundary';
const FILE_PART_HEAD = [
  `--${BOUNDARY}`,
  'Content-Disposition: form-data; name="file"; filename="inscriptions.csv"',
  'Content-Type: text/csv',
  '',
  '',
].join('\r\n');

/**
 * Uploads that break off: a multipart body missing its closing boundary, a client that hangs up
 * mid-file. The service runs as its own process, as `npm start` runs it, so a crash shows as an
 * exit and not as a failure inside Jest.
 */
describe('enrolment: uploads that break off', () => {
  let broker: KafkaTestBroker;
  let service: ServiceProcess;
  let sql: Client;
  let databaseName: string;
  let admin: { Authorization: string };

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase('enrolment_upload_interruptions');
    databaseName = new URL(databaseUrl).pathname.slice(1);
    broker = await startTestBroker();
    service = await startServiceProcess(
      'enrolment',
      serviceTestEnv({
        databaseUrl,
        kafkaBrokers: broker.address,
        redisUrl: testRedisUrl(2),
        extra: { IMPORT_QUEUE_PREFIX: 'enrolment-interruptions-test' },
      }),
      await freePort(),
    );
    sql = new Client({ connectionString: databaseUrl });
    await sql.connect();
    admin = await bearer('programme-officer', ['programme_admin']);
    await request(service.url)
      .post('/api/v1/schools')
      .set(admin)
      .send({ code: 'ESS-GAO', name: 'École de Santé de Gao', region: 'Gao', city: 'Gao' })
      .expect(201);
  });

  afterAll(async () => {
    await sql?.end().catch(() => undefined);
    // Not service.stop(): its 10 s fallback timer is not cleared and would keep Jest waiting.
    if (service && service.child.exitCode === null) {
      const exited = once(service.child, 'exit');
      service.child.kill('SIGTERM');
      const fallback = setTimeout(() => service.child.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(fallback);
    }
    await broker?.stop();
  });

  const file = () =>
    `${HEADER}\nML-CUT-01,Aïssata,N'Diaye,F,2001-03-14,Gao,ESS-GAO,nursing,2019,,\n`;

  async function importsKept(): Promise<{ imports: number; chunks: number }> {
    const { rows } = await sql.query<{ imports: number; chunks: number }>(
      `SELECT (SELECT count(*)::int FROM enrolment.student_imports) AS imports,
              (SELECT count(*)::int FROM enrolment.student_import_file_chunks) AS chunks`,
    );
    return rows[0];
  }

  /** Sessions of the service that sit in an open transaction (a staging upload waiting for bytes). */
  async function openTransactions(): Promise<number> {
    const { rows } = await sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM pg_stat_activity
        WHERE datname = $1 AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`,
      [databaseName],
    );
    return rows[0].count;
  }

  async function expectServiceAlive(): Promise<void> {
    expect(service.child.exitCode).toBeNull();
    await request(service.url).get('/health/live').expect(200);
    await request(service.url).get('/api/v1/students').set(admin).expect(200);
  }

  /** Sends a whole (possibly malformed) multipart body with an honest Content-Length. */
  async function postMultipart(body: string): Promise<{ status: number; body: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        new URL('/api/v1/student-imports', service.url),
        {
          method: 'POST',
          headers: {
            ...admin,
            'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
            'Content-Length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('answers 400 IMPORT.MALFORMED_MULTIPART to a file part that never gets its closing boundary, keeps nothing and stays up', async () => {
    const before = await importsKept();
    const response = await postMultipart(`${FILE_PART_HEAD}${file()}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'IMPORT.MALFORMED_MULTIPART' });
    expect(response.body.message).toContain('ended before');
    expect(await importsKept()).toEqual(before);
    await expectServiceAlive();
  });

  it('refuses a body cut off after the file part but before the final boundary, keeping nothing', async () => {
    const before = await importsKept();
    const response = await postMultipart(`${FILE_PART_HEAD}${file()}\r\n--${BOUNDARY}\r\n`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'IMPORT.MALFORMED_MULTIPART' });
    expect(await importsKept()).toEqual(before);
    await expectServiceAlive();
  });

  it.each([
    ['a multipart upload', `multipart/form-data; boundary=${BOUNDARY}`, FILE_PART_HEAD],
    ['a text/csv upload', 'text/csv', ''],
  ])(
    'survives a client that hangs up in the middle of %s, keeping nothing and holding no transaction',
    async (_, contentType, prefix) => {
      const before = await importsKept();
      const { port } = new URL(service.url);
      const socket = net.connect(Number(port), '127.0.0.1');
      socket.on('error', () => undefined);
      await once(socket, 'connect');
      const partial = `${prefix}${file()}`;
      socket.write(
        [
          'POST /api/v1/student-imports HTTP/1.1',
          `Host: 127.0.0.1:${port}`,
          `Authorization: ${admin.Authorization}`,
          `Content-Type: ${contentType}`,
          `Content-Length: ${Buffer.byteLength(partial) + 100000}`,
          '',
          partial,
        ].join('\r\n'),
      );
      // The upload is being staged: its transaction is open and waits for the rest of the file.
      await waitFor(async () => (await openTransactions()) > 0, {
        timeoutMs: 15000,
        description: 'the upload to start staging',
      });
      socket.destroy();
      await waitFor(async () => (await openTransactions()) === 0, {
        timeoutMs: 15000,
        description: 'the abandoned upload to roll back and release its connection',
      });
      expect(await importsKept()).toEqual(before);
      await expectServiceAlive();
    },
  );
});
