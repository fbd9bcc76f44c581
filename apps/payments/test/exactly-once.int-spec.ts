import { randomUUID } from 'node:crypto';
import { EventTypes } from '@scholarpay/contracts';
import { createTestDatabase, freePort, KafkaTestBroker, ServiceProcess, startServiceProcess, startTestBroker, waitFor } from '@scholarpay/testing';
import {
  awardSnapshot,
  EventPublisher,
  flushRedis,
  msisdn,
  PaymentsApi,
  PaymentsDb,
  paymentsEnv,
  programmeSnapshot,
  ProviderHandle,
  studentSnapshot,
  users,
} from './support/payments-test-kit';

const REDIS_DB = 8;
const LINES = 1000;
const STIPEND = 25000;
const CRASHES = 3;
/** Every 50th student's wallet is blocked at the provider: those payouts fail (PAYEE_BLOCKED). */
const isBlocked = (index: number) => index % 50 === 7;

/** A small seeded generator, so the kill moments are the same on every run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Exactly-once payouts under the worst we can throw at them: a 1,000-line batch disbursed while
 * the provider times out (and still pays), answers 5xx before and after doing the work, answers
 * 429, drops and duplicates callbacks and sends some early, and while the payments process itself
 * is killed with SIGKILL at random moments and restarted.
 */
describe('payments: exactly-once payouts across kill -9 of the payments process', () => {
  let broker: KafkaTestBroker;
  let provider: ProviderHandle;
  let payments: ServiceProcess;
  let env: Record<string, string>;
  let port: number;
  let publisher: EventPublisher;
  let api: PaymentsApi;
  let db: PaymentsDb;

  beforeAll(async () => {
    await flushRedis(REDIS_DB);
    broker = await startTestBroker();
    provider = await ProviderHandle.start('crash', REDIS_DB, {
      MOBILE_MONEY_PROCESSING_DELAY_MS: '40',
      MOBILE_MONEY_CALLBACK_BACKOFF_MS: '200',
      MOBILE_MONEY_CALLBACK_MAX_ATTEMPTS: '3',
    });
    const databaseUrl = await createTestDatabase('payments_crash');
    port = await freePort();
    env = paymentsEnv({
      databaseUrl,
      kafkaBrokers: broker.address,
      redisDb: REDIS_DB,
      providerUrl: provider.url,
      extra: {
        PAYMENTS_PROVIDER_TIMEOUT_MS: '2500',
        PAYMENTS_DISBURSEMENT_CONCURRENCY: '32',
        PAYMENTS_STATUS_CHECK_AFTER_MS: '2000',
        PAYMENTS_JOB_LOCK_MS: '4000',
      },
    });
    payments = await startServiceProcess('payments', env, port);
    api = new PaymentsApi(payments.url);
    publisher = await EventPublisher.connect(broker.address);
    db = await PaymentsDb.connect(databaseUrl);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    if (payments) await payments.stop();
    await db?.close();
    await provider?.stop();
    await broker?.stop();
  });

  it('pays every line exactly once or fails it, with one SMS per payout and a balanced ledger', async () => {
    // ---- 1,000 scholars, their awards and payees, from events ----
    const programme = programmeSnapshot({ budget: LINES * STIPEND * 2, code: 'CRASH-TEST' });
    const students = Array.from({ length: LINES }, (_, index) => ({ studentId: randomUUID(), phone: msisdn(10_000 + index), blocked: isBlocked(index) }));
    await publisher.programmeDefined(programme);
    await publisher.students(students.map((s) => studentSnapshot(s.studentId, { phone: s.phone })));
    await publisher.awards(students.map((s) => awardSnapshot(programme, s.studentId)));
    for (const student of students.filter((s) => s.blocked)) await provider.upsertSubscriber(student.phone, 2, true);
    await waitFor(async () => (await db.value<number>('SELECT count(*)::int FROM awards a JOIN payees p USING (student_id)')) === LINES, {
      description: '1,000 awards and payees',
      timeoutMs: 60000,
      intervalMs: 250,
    });

    // ---- prepared by one person, approved by another ----
    const created = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: programme.programmeId, month: '2015-03' });
    expect(created.status).toBe(201);
    expect(created.body.lineCount).toBe(LINES);
    const batchId: string = created.body.id;
    expect((await api.as(users.preparer, 'POST', `/payout-batches/${batchId}/submit`, {})).status).toBe(200);

    await provider.setFaults({
      seed: 20150305,
      global: {
        timeoutRate: 0.05,
        timeoutMode: 'hang',
        hangMs: 3000,
        errorRate: 0.05,
        errorPhase: 'random',
        callbacks: { dropRate: 0.2, duplicateRate: 0.2, earlyRate: 0.05, earlyKind: 'final', earlyLagMs: 300 },
      },
      rateLimit: { requestsPerSecond: 400, retryAfterSeconds: 1 },
    });
    // The float check may itself meet a fault (503 from us): the approver simply tries again.
    const approved = await waitFor(
      async () => {
        const answer = await api.as(users.approver, 'POST', `/payout-batches/${batchId}/approve`, {});
        if (answer.status === 503) return undefined;
        return answer;
      },
      { description: 'the approval', timeoutMs: 30000, intervalMs: 500 },
    );
    expect(approved.status).toBe(200);

    // ---- kill -9 at random moments, restart each time ----
    const random = mulberry32(7);
    const openAtCrash: number[] = [];
    for (let crash = 0; crash < CRASHES; crash++) {
      await sleep(800 + Math.floor(random() * 2500));
      const open = await db.value<number>(`SELECT count(*)::int FROM payout_lines WHERE batch_id = $1 AND status NOT IN ('PAID', 'FAILED')`, [batchId]);
      const unsent = await db.value<number>(`SELECT count(*)::int FROM payout_lines WHERE batch_id = $1 AND (status NOT IN ('PAID', 'FAILED') OR (status = 'PAID' AND sms_sent_at IS NULL))`, [batchId]);
      openAtCrash.push(unsent);
      await payments.crash();
      if (open === 0 && unsent === 0) break;
      await sleep(Math.floor(random() * 1000));
      payments = await startServiceProcess('payments', env, port);
    }
    if (payments.child.exitCode !== null || payments.child.signalCode !== null) payments = await startServiceProcess('payments', env, port);
    // The kills really interrupted the disbursement.
    expect(openAtCrash.filter((open) => open > 0).length).toBe(CRASHES);

    // ---- everything settles ----
    await waitFor(
      async () =>
        (await db.value<number>(
          `SELECT count(*)::int FROM payout_lines WHERE batch_id = $1 AND (status IN ('PAID', 'FAILED')) AND (status = 'FAILED' OR sms_sent_at IS NOT NULL)`,
          [batchId],
        )) === LINES,
      { description: 'every line final and every payout texted', timeoutMs: 150000, intervalMs: 500 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- payments output ---\n${payments.output().slice(-4000)}`);
    });
    await provider.clearFaults();
    const batch = await waitFor(
      async () => {
        const answer = await api.as(users.auditor, 'GET', `/payout-batches/${batchId}`);
        return answer.body?.state === 'COMPLETED' ? answer.body : undefined;
      },
      { description: 'the batch completed', timeoutMs: 30000 },
    );

    // ---- every line PAID or FAILED; the failures are exactly the blocked wallets ----
    const lines = await db.rows<{ id: string; student_id: string; phone: string; status: string; reason_code: string | null; amount: string }>(
      'SELECT id, student_id, phone, status, reason_code, amount::text FROM payout_lines WHERE batch_id = $1',
      [batchId],
    );
    expect(lines).toHaveLength(LINES);
    const blockedPhones = new Set(students.filter((s) => s.blocked).map((s) => s.phone));
    const paid = lines.filter((line) => line.status === 'PAID');
    const failed = lines.filter((line) => line.status === 'FAILED');
    expect(paid.length + failed.length).toBe(LINES);
    expect(new Set(failed.map((line) => line.phone))).toEqual(blockedPhones);
    expect(failed.every((line) => line.reason_code === 'PAYEE_BLOCKED')).toBe(true);
    expect(batch.summary).toEqual({ paidCount: paid.length, failedCount: failed.length, paidAmount: paid.length * STIPEND, failedAmount: failed.length * STIPEND });

    // ---- the provider's statement: exactly one SUCCESS credit per PAID line, none for FAILED ones ----
    const statement = await provider.statement();
    const byReference = new Map<string, string[]>();
    for (const item of statement) byReference.set(item.referenceId, [...(byReference.get(item.referenceId) ?? []), item.status]);
    const lineIds = new Set(lines.map((line) => line.id));
    expect([...byReference.keys()].filter((reference) => !lineIds.has(reference))).toEqual([]);
    for (const line of paid) expect(byReference.get(line.id)).toEqual(['SUCCESS']);
    for (const line of failed) expect((byReference.get(line.id) ?? []).filter((status) => status === 'SUCCESS')).toEqual([]);
    expect(statement.filter((item) => item.status === 'SUCCESS')).toHaveLength(paid.length);

    // ---- wallets hold exactly what was paid; one SMS per payout, none for failures ----
    const observedWallets: { phone: string; balance: number; sms: number }[] = [];
    for (let start = 0; start < lines.length; start += 20) {
      observedWallets.push(
        ...(await Promise.all(
          lines.slice(start, start + 20).map(async (line) => ({
            phone: line.phone,
            balance: (await provider.subscriber(line.phone))?.balance.value ?? 0,
            sms: (await provider.smsTo(line.phone)).length,
          })),
        )),
      );
    }
    expect(observedWallets).toEqual(
      lines.map((line) => ({ phone: line.phone, balance: line.status === 'PAID' ? STIPEND : 0, sms: line.status === 'PAID' ? 1 : 0 })),
    );

    // ---- the ledger balances, and each line's postings say what happened to it ----
    expect(await db.value<string>('SELECT coalesce(sum(amount), 0)::text FROM ledger_entries')).toBe('0');
    const postings = await db.rows<{ line_id: string; kinds: string[]; amounts: string[] }>(
      `SELECT p.line_id, array_agg(p.kind ORDER BY p.kind) AS kinds, array_agg(DISTINCT e.amount::text) AS amounts
         FROM ledger_postings p JOIN ledger_entries e ON e.posting_id = p.id
        WHERE p.batch_id = $1 AND e.amount > 0 GROUP BY p.line_id`,
      [batchId],
    );
    const postingsByLine = new Map(postings.map((row) => [row.line_id, row]));
    for (const line of paid) expect(postingsByLine.get(line.id)).toMatchObject({ kinds: ['committed', 'sent', 'settled'], amounts: [String(STIPEND)] });
    for (const line of failed) expect(postingsByLine.get(line.id)).toMatchObject({ kinds: ['committed', 'reversed', 'sent'], amounts: [String(STIPEND)] });
    const trial = (await api.as(users.auditor, 'GET', '/ledger/trial-balance')).body;
    expect(trial).toMatchObject({ balanced: true, total: 0, unbalancedPostings: [], linesOutOfPosition: { count: 0 } });
    expect((await api.as(users.auditor, 'GET', `/ledger/programmes/${programme.programmeId}/balance`)).body).toMatchObject({
      funded: LINES * STIPEND * 2,
      paid: paid.length * STIPEND,
      committed: 0,
      inFlight: 0,
      remaining: LINES * STIPEND * 2 - paid.length * STIPEND,
      balanced: true,
    });

    // ---- one payout event per line, whatever was redone ----
    const events = await db.rows<{ event_type: string; payouts: number; rows: number }>(
      `SELECT event_type, count(DISTINCT envelope->'data'->>'payoutId')::int AS payouts, count(*)::int AS rows
         FROM outbox_events WHERE event_type IN ($1, $2) GROUP BY event_type`,
      [EventTypes.payoutSucceeded, EventTypes.payoutFailed],
    );
    expect(Object.fromEntries(events.map((row) => [row.event_type, [row.payouts, row.rows]]))).toEqual({
      [EventTypes.payoutSucceeded]: [paid.length, paid.length],
      [EventTypes.payoutFailed]: [failed.length, failed.length],
    });

    // ---- and the reconciliation agrees ----
    const reconciliation = await api.as(users.auditor, 'POST', '/reconciliations', { batchId });
    expect(reconciliation.body).toMatchObject({ matched: LINES, mismatches: [] });
  }, 300_000);
});
