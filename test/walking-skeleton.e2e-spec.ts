/**
 * The walking skeleton (issue 3): the broker and the services run as separate processes, a real
 * action in enrolment produces an event that eligibility applies exactly once — also when the
 * consumer is killed (kill -9) and restarted mid-stream, and when the same event is delivered twice.
 */
import { Roles } from '@scholarpay/auth';
import { Topics } from '@scholarpay/contracts';
import {
  bearer,
  BrokerProcess,
  createTestDatabase,
  freePort,
  serviceTestEnv,
  ServiceProcess,
  startBrokerProcess,
  startServiceProcess,
  testRedisUrl,
  waitFor,
} from '@scholarpay/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';

function monthFromNow(offset: number): string {
  const now = new Date();
  const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return date.toISOString().slice(0, 7);
}

describe('walking skeleton: enrolment → Kafka → eligibility, exactly once', () => {
  let broker: BrokerProcess;
  let enrolment: ServiceProcess;
  let eligibility: ServiceProcess;
  let env: Record<string, string>;
  let eligibilityPort: number;
  let db: Client;
  let admin: Record<string, string>;

  beforeAll(async () => {
    broker = await startBrokerProcess();
    const databaseUrl = await createTestDatabase('walking_skeleton');
    env = serviceTestEnv({ databaseUrl, kafkaBrokers: broker.address, redisUrl: testRedisUrl(13) });
    eligibilityPort = await freePort();
    [enrolment, eligibility] = await Promise.all([
      startServiceProcess('enrolment', env, await freePort()),
      startServiceProcess('eligibility', env, eligibilityPort),
    ]);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    admin = { ...(await bearer('awa', [Roles.programmeAdmin])), 'content-type': 'application/json' };
  });

  afterAll(async () => {
    await db?.end();
    await Promise.all([enrolment?.stop(), eligibility?.stop()]);
    await broker?.stop();
  });

  async function call(base: string, method: string, path: string, body?: unknown): Promise<{ id: string }> {
    const response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: admin,
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return JSON.parse(text || '{}') as { id: string };
  }

  function registerStudent(index: number, schoolCode: string) {
    return call(enrolment.url, 'POST', '/students', {
      nationalId: `WS-${index}`,
      firstName: 'Aïssata',
      lastName: ['Maïga', 'Touré', 'Cissé', "N'Diaye", 'Ould Mohamed', 'Haïdara'][index % 6],
      sex: 'F',
      dateOfBirth: '2000-05-17',
      regionOfOrigin: 'Gao',
      schoolCode,
      programmeOfStudy: 'nursing',
      intakeYear: 2025,
      phone: `+2237${String(6000000 + index).padStart(7, '0')}`,
    });
  }

  async function decisionsFor(studentIds: string[]): Promise<Map<string, number>> {
    const { rows } = await db.query(
      'SELECT student_id, count(*)::int AS n FROM eligibility.decisions WHERE student_id = ANY($1::uuid[]) GROUP BY student_id',
      [studentIds],
    );
    return new Map(rows.map((row) => [row.student_id, row.n]));
  }

  it('applies each registration once, across a kill -9 of the consumer and a duplicate delivery', async () => {
    await call(enrolment.url, 'POST', '/schools', {
      code: 'ESS-GAO',
      name: 'École de santé de Gao',
      region: 'Gao',
      city: 'Gao',
    });
    await call(eligibility.url, 'POST', '/programmes', {
      code: 'GAO-2015',
      name: 'Bourses Gao 2014-2015',
      monthlyStipend: 25000,
      firstMonth: monthFromNow(0),
      lastMonth: monthFromNow(8),
      budget: 25000 * 9 * 100,
      rules: {
        all: [
          {
            fact: 'regionOfOrigin',
            operator: 'in',
            value: ['Gao', 'Tombouctou', 'Kidal', 'Ménaka', 'Taoudénit'],
          },
        ],
      },
    });

    const studentIds: string[] = [];
    for (let index = 0; index < 30; index++) {
      if (index === 10) await eligibility.crash(); // the consumer dies mid-stream, without leaving its group
      if (index === 20) eligibility = await startServiceProcess('eligibility', env, eligibilityPort);
      studentIds.push((await registerStudent(index, 'ESS-GAO')).id);
    }

    const decided = await waitFor(
      async () => {
        const decisions = await decisionsFor(studentIds);
        return decisions.size === studentIds.length ? decisions : undefined;
      },
      { timeoutMs: 90000, description: 'a decision for every registered student' },
    );
    expect([...decided.values()].every((count) => count === 1)).toBe(true);
    const awards = await db.query(
      'SELECT student_id FROM eligibility.awards WHERE student_id = ANY($1::uuid[])',
      [studentIds],
    );
    expect(awards.rowCount).toBe(studentIds.length);

    // Deliver the first registration again, byte for byte, as a redelivery after a lost commit would.
    const kafka = new Kafka({
      clientId: 'walking-skeleton',
      brokers: [broker.address],
      logLevel: logLevel.NOTHING,
    });
    const reader = kafka.consumer({ groupId: `skeleton-reader-${Date.now()}` });
    await reader.connect();
    await reader.subscribe({ topic: Topics.studentEvents, fromBeginning: true });
    let first: { key: Buffer | null; value: Buffer | null } | undefined;
    await reader.run({
      eachMessage: async ({ message }) => {
        if (!first && message.key?.toString() === studentIds[0])
          first = { key: message.key, value: message.value };
      },
    });
    await waitFor(() => first, { description: 'the first registration on the topic' });
    await reader.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: Topics.studentEvents, messages: [first!, first!] });
    await producer.disconnect();
    const eventId = JSON.parse(first!.value!.toString()).id;

    // A later registration proves the duplicates were consumed before we look.
    const marker = (await registerStudent(99, 'ESS-GAO')).id;
    await waitFor(async () => (await decisionsFor([marker])).get(marker) === 1, {
      description: 'the marker decision',
    });
    const inbox = await db.query(
      'SELECT count(*)::int AS n FROM eligibility.inbox_events WHERE event_id = $1',
      [eventId],
    );
    expect(inbox.rows[0].n).toBe(1);
    expect((await decisionsFor(studentIds)).get(studentIds[0])).toBe(1);
    const finalAwards = await db.query(
      'SELECT count(*)::int AS n FROM eligibility.awards WHERE student_id = $1',
      [studentIds[0]],
    );
    expect(finalAwards.rows[0].n).toBe(1);
  });
});
