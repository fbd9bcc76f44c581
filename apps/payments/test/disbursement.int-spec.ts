import { randomUUID } from 'node:crypto';
import { EventTypes } from '@scholarpay/contracts';
import type { RunningServiceApp } from '@scholarpay/platform';
import { createTestDatabase, freePort, KafkaTestBroker, startTestBroker, waitFor } from '@scholarpay/testing';
import { startPaymentsService } from '../src/payments.app';
import { signCallback } from '../src/provider/callback-signature';
import { MobileMoneyClient } from '../src/provider/mobile-money.client';
import {
  awardSnapshot,
  CALLBACK_SECRET,
  CLIENT_ID,
  CLIENT_SECRET,
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

const REDIS_DB = 7;

describe('payments: disbursement against a provider that fails the way real ones do', () => {
  let broker: KafkaTestBroker;
  let provider: ProviderHandle;
  let service: RunningServiceApp;
  let publisher: EventPublisher;
  let api: PaymentsApi;
  let db: PaymentsDb;
  let phoneSeq = 500;

  /** A programme of its own for each test, known to payments. */
  async function defineProgramme(code: string): Promise<ReturnType<typeof programmeSnapshot>> {
    const programme = programmeSnapshot({ budget: 50_000_000, code });
    await publisher.programmeDefined(programme);
    await waitFor(async () => (await db.value<number>('SELECT count(*)::int FROM programmes WHERE programme_id = $1', [programme.programmeId])) === 1, {
      description: `programme ${code}`,
    });
    return programme;
  }

  /** Students with awards in the programme, known to payments; returns their ids and phones. */
  async function enrol(programme: ReturnType<typeof programmeSnapshot>, count: number): Promise<{ studentId: string; phone: string }[]> {
    const students = Array.from({ length: count }, () => ({ studentId: randomUUID(), phone: msisdn(phoneSeq++) }));
    await publisher.students(students.map((s) => studentSnapshot(s.studentId, { phone: s.phone })));
    await publisher.awards(students.map((s) => awardSnapshot(programme, s.studentId)));
    await waitFor(
      async () =>
        (await db.value<number>('SELECT count(*)::int FROM awards a JOIN payees p USING (student_id) WHERE a.student_id = ANY($1)', [students.map((s) => s.studentId)])) === count,
      { description: `${count} awards and payees` },
    );
    return students;
  }

  async function approvedBatch(programme: ReturnType<typeof programmeSnapshot>, month: string): Promise<string> {
    const created = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: programme.programmeId, month });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
    expect((await api.as(users.preparer, 'POST', `/payout-batches/${created.body.id}/submit`, {})).status).toBe(200);
    const approved = await api.as(users.approver, 'POST', `/payout-batches/${created.body.id}/approve`, {});
    if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${JSON.stringify(approved.body)}`);
    return created.body.id;
  }

  async function completed(batchId: string, timeoutMs = 60000): Promise<any> {
    return waitFor(
      async () => {
        const batch = (await api.as(users.auditor, 'GET', `/payout-batches/${batchId}`)).body;
        return batch.state === 'COMPLETED' && batch.smsSent === batch.lines.PAID.count ? batch : undefined;
      },
      { description: `batch ${batchId} completed with its SMS`, timeoutMs, intervalMs: 250 },
    );
  }

  beforeAll(async () => {
    await flushRedis(REDIS_DB);
    broker = await startTestBroker();
    provider = await ProviderHandle.start('disbursement', REDIS_DB, { MOBILE_MONEY_TOKEN_TTL_SECONDS: '5' });
    const databaseUrl = await createTestDatabase('payments_disbursement');
    service = await startPaymentsService(
      paymentsEnv({ databaseUrl, kafkaBrokers: broker.address, redisDb: REDIS_DB, providerUrl: provider.url }),
      { port: await freePort() },
    );
    api = new PaymentsApi(service.url);
    publisher = await EventPublisher.connect(broker.address);
    db = await PaymentsDb.connect(databaseUrl);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await service?.app.close();
    await db?.close();
    await provider?.stop();
    await broker?.stop();
  });

  it('fails a blocked payee with the provider reason, returns the money to the budget, and pays the student in a later batch', async () => {
    const programme = await defineProgramme('BLOCKED');
    const [a, b, c] = await enrol(programme, 3);
    await provider.upsertSubscriber(b.phone, 2, true);
    const batchId = await approvedBatch(programme, '2014-10');
    const batch = await completed(batchId);
    expect(batch.summary).toEqual({ paidCount: 2, failedCount: 1, paidAmount: 50000, failedAmount: 25000 });
    const [failed] = (await api.as(users.auditor, 'GET', `/payout-batches/${batchId}/lines?status=FAILED`)).body.items;
    expect(failed).toMatchObject({ studentId: b.studentId, reasonCode: 'PAYEE_BLOCKED' });
    expect(failed.smsSentAt).toBeNull();
    expect(await provider.smsTo(b.phone)).toEqual([]);
    expect(await db.value<number>(`SELECT count(*)::int FROM outbox_events WHERE event_type = $1 AND envelope->'data'->>'payoutId' = $2`, [EventTypes.payoutFailed, failed.id])).toBe(1);
    expect((await api.as(users.auditor, 'GET', `/ledger/students/${b.studentId}/balance`)).body).toMatchObject({ committed: 0, inFlight: 0, paid: 0 });
    expect((await api.as(users.auditor, 'GET', `/ledger/programmes/${programme.programmeId}/balance`)).body).toMatchObject({
      remaining: 50_000_000 - 50000,
      paid: 50000,
      balanced: true,
    });

    // Enrolment corrects the number; a new batch for the same month pays only that student.
    const newPhone = msisdn(phoneSeq++);
    await publisher.students([studentSnapshot(b.studentId, { version: 2, phone: newPhone })], 'updated');
    await waitFor(async () => (await db.value('SELECT phone FROM payees WHERE student_id = $1', [b.studentId])) === newPhone, { description: 'the corrected phone' });
    const retry = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: programme.programmeId, month: '2014-10' });
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ lineCount: 1, totalAmount: 25000, excluded: { byReason: { ALREADY_PAID: 2 } } });
    await api.as(users.preparer, 'POST', `/payout-batches/${retry.body.id}/submit`, {});
    await api.as(users.approver, 'POST', `/payout-batches/${retry.body.id}/approve`, {});
    expect((await completed(retry.body.id)).summary).toMatchObject({ paidCount: 1, failedCount: 0 });
    expect((await provider.subscriber(newPhone))?.balance.value).toBe(25000);
    expect((await provider.subscriber(a.phone))?.balance.value).toBe(25000);
    expect((await provider.subscriber(c.phone))?.balance.value).toBe(25000);
    expect((await api.as(users.auditor, 'GET', `/ledger/students/${b.studentId}/balance`)).body.paid).toBe(25000);
  });

  it('accepts callbacks only with a valid signature, and never moves a line on a callback alone', async () => {
    const url = `${service.url}/api/v1/provider-callbacks/mobile-money`;
    const [failed] = await db.rows(`SELECT id, amount FROM payout_lines WHERE status = 'FAILED' LIMIT 1`);
    const forged = Buffer.from(
      JSON.stringify({ transactionId: 'MP-forged', referenceId: failed.id, status: 'SUCCESS', reasonCode: null, reason: null, amount: { value: Number(failed.amount), unit: 'XOF' } }),
    );
    const post = (body: Buffer, signature?: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-callback-signature': signature } : {}) }, body });
    const now = Math.floor(Date.now() / 1000);

    const unsigned = await post(forged);
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { code: string }).code).toBe('PROVIDER_CALLBACK.INVALID_SIGNATURE');
    expect((await post(forged, `t=${now},v1=${signCallback('not-the-secret', now, forged)}`)).status).toBe(401);
    expect((await post(forged, `t=${now - 600},v1=${signCallback(CALLBACK_SECRET, now - 600, forged)}`)).status).toBe(401);

    // Correctly signed, but the provider never said so: the line stays FAILED and the ledger does not move.
    const postingsBefore = await db.value<number>('SELECT count(*)::int FROM ledger_postings');
    const signed = await post(forged, `t=${now},v1=${signCallback(CALLBACK_SECRET, now, forged)}`);
    expect(signed.status).toBe(202);
    expect(await signed.json()).toEqual({ received: true, action: 'ignored' });
    expect(await db.value('SELECT status FROM payout_lines WHERE id = $1', [failed.id])).toBe('FAILED');
    expect(await db.value<number>('SELECT count(*)::int FROM ledger_postings')).toBe(postingsBefore);
    expect(await db.value<number>(`SELECT count(*)::int FROM provider_transactions WHERE line_id = $1 AND operation = 'CALLBACK' AND provider_transaction_id = 'MP-forged'`, [failed.id])).toBe(1);

    const stray = Buffer.from(JSON.stringify({ transactionId: 'MP-x', referenceId: randomUUID(), status: 'SUCCESS', amount: { value: 1, unit: 'XOF' } }));
    const unknown = await post(stray, `t=${now},v1=${signCallback(CALLBACK_SECRET, now, stray)}`);
    expect(await unknown.json()).toEqual({ received: true, action: 'ignored' });
    // 36 characters of hex and dashes, but no UUID: no line of ours, and no failed query.
    const notUuid = Buffer.from(JSON.stringify({ transactionId: 'MP-y', referenceId: '0123456789abcdef0123456789abcdef0123', status: 'SUCCESS', amount: { value: 1, unit: 'XOF' } }));
    const malformed = await post(notUuid, `t=${now},v1=${signCallback(CALLBACK_SECRET, now, notUuid)}`);
    expect(malformed.status).toBe(202);
    expect(await malformed.json()).toEqual({ received: true, action: 'ignored' });
    const garbage = Buffer.from('{"hello":"world"}');
    expect((await post(garbage, `t=${now},v1=${signCallback(CALLBACK_SECRET, now, garbage)}`)).status).toBe(400);
  });

  it('pays every line exactly once through timeouts that still succeed, 5xx before and after the work, 429s, and dropped, duplicated and early callbacks', async () => {
    const programme = await defineProgramme('FAULTS');
    const students = await enrol(programme, 40);
    await provider.setFaults({
      seed: 42,
      global: {
        timeoutRate: 0.15,
        timeoutMode: 'hang',
        hangMs: 2500,
        errorRate: 0.15,
        errorPhase: 'random',
        callbacks: { dropRate: 0.3, duplicateRate: 0.3, earlyRate: 0.2, earlyKind: 'final', earlyLagMs: 300 },
      },
      // Low enough that the batch's first sends meet it even on a loaded machine (they spread out as CPU gets scarce).
      rateLimit: { requestsPerSecond: 8, retryAfterSeconds: 1 },
    });
    let batchId: string;
    try {
      batchId = await approvedBatch(programme, '2014-11');
      await waitFor(async () => (await db.value<number>(`SELECT count(*)::int FROM payout_lines WHERE batch_id = $1 AND status IN ('PAID', 'FAILED')`, [batchId])) === 40, {
        description: 'every line final under faults',
        timeoutMs: 90000,
        intervalMs: 500,
      });
    } finally {
      await provider.clearFaults();
    }
    const batch = await completed(batchId!);
    expect(batch.summary).toMatchObject({ paidCount: 40, failedCount: 0 });

    // The faults really happened, and were handled as the rules say.
    const outcomes = await db.rows<{ operation: string; outcome: string; n: number }>(
      `SELECT operation, outcome, count(*)::int AS n FROM provider_transactions pt JOIN payout_lines l ON l.id = pt.line_id WHERE l.batch_id = $1 GROUP BY 1, 2`,
      [batchId!],
    );
    const count = (operation: string, outcome: string) => outcomes.find((row) => row.operation === operation && row.outcome === outcome)?.n ?? 0;
    expect(count('CASHIN', 'ambiguous')).toBeGreaterThan(0);
    expect(count('CASHIN', 'rate_limited') + count('STATUS', 'rate_limited') + count('SMS', 'rate_limited')).toBeGreaterThan(0);
    expect(count('STATUS', 'found')).toBeGreaterThan(0);

    // Exactly one credit per line at the provider, each wallet credited once, one SMS each.
    const lines = await db.rows(`SELECT id, phone FROM payout_lines WHERE batch_id = $1`, [batchId!]);
    const statement = await provider.statement();
    for (const line of lines) {
      const credits = statement.filter((item) => item.referenceId === line.id);
      expect(credits.map((item) => item.status)).toEqual(['SUCCESS']);
    }
    for (const student of students) {
      expect((await provider.subscriber(student.phone))?.balance.value).toBe(25000);
      expect(await provider.smsTo(student.phone)).toHaveLength(1);
    }
    const trial = (await api.as(users.auditor, 'GET', `/ledger/trial-balance?batchId=${batchId!}`)).body;
    expect(trial).toMatchObject({ balanced: true, total: 0, linesOutOfPosition: { count: 0 } });
    const reconciliation = await api.as(users.auditor, 'POST', '/reconciliations', { batchId: batchId! });
    expect(reconciliation.body).toMatchObject({ matched: 40, mismatches: [] });
  });

  it('resends a cash-in the provider never received, under the same reference, once the safe delay has passed', async () => {
    const programme = await defineProgramme('RESEND');
    const [student] = await enrol(programme, 1);
    // Every request about this number fails with a 500 before the provider does anything.
    await provider.setFaults({ msisdns: { [student.phone]: { errorRate: 1, errorPhase: 'before' } } });
    const batchId = await approvedBatch(programme, '2014-12');
    const lineId = await db.value<string>('SELECT id FROM payout_lines WHERE batch_id = $1', [batchId]);
    await waitFor(async () => (await db.value<number>('SELECT attempts FROM payout_lines WHERE id = $1', [lineId])) >= 2, {
      description: 'a second send after the provider said 404',
      timeoutMs: 30000,
    });
    expect(await db.value('SELECT status FROM payout_lines WHERE id = $1', [lineId])).toBe('UNKNOWN');
    await provider.clearFaults();
    await completed(batchId);
    const interactions = await db.rows<{ operation: string; outcome: string }>('SELECT operation, outcome FROM provider_transactions WHERE line_id = $1 ORDER BY id', [lineId]);
    // Never a second send before a status query said the provider had nothing.
    for (let index = 1; index < interactions.length; index++) {
      if (interactions[index].operation === 'CASHIN') expect(interactions[index - 1]).toEqual({ operation: 'STATUS', outcome: 'not_found' });
    }
    expect(interactions.filter((entry) => entry.operation === 'CASHIN').length).toBeGreaterThanOrEqual(3);
    expect((await provider.statement()).filter((item) => item.referenceId === lineId).map((item) => item.status)).toEqual(['SUCCESS']);
    expect((await provider.subscriber(student.phone))?.balance.value).toBe(25000);
  });

  it('renews an OAuth token the provider expired (401 code 42) and retries the call once', async () => {
    let frozen = Date.now();
    const client = new MobileMoneyClient({ baseUrl: provider.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, timeoutMs: 5000, maxSockets: 2, clock: () => frozen });
    try {
      expect((await client.getBalance()).available).toBeGreaterThan(0);
      // Our clock stands still while the provider's five-second token expires.
      await new Promise((resolve) => setTimeout(resolve, 5500));
      expect((await client.getBalance()).available).toBeGreaterThan(0);
      const status = await client.getCashin(randomUUID());
      expect(status.outcome).toEqual({ kind: 'not_found' });
      frozen = Date.now();
    } finally {
      client.close();
    }
  });

  it('sends status queries and SMS asked for together in one bulk request each, every caller getting its own outcome', async () => {
    const client = new MobileMoneyClient({ baseUrl: provider.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, timeoutMs: 5000, maxSockets: 4 });
    try {
      const phones = [msisdn(phoneSeq++), msisdn(phoneSeq++)];
      const references = [randomUUID(), randomUUID()];
      for (const [index, referenceId] of references.entries()) {
        const sent = await client.createCashin({ referenceId, msisdn: phones[index], amount: 1000 + index, reference: 'bulk', description: 'bulk' });
        expect(sent.outcome.kind).toBe('accepted');
      }
      const unknown = randomUUID();
      await waitFor(async () => (await Promise.all(references.map((id) => client.getCashin(id)))).every((call) => call.outcome.kind === 'found' && call.outcome.transaction.status === 'SUCCESS'), {
        description: 'both cash-ins final',
      });

      const lookupsBefore = await provider.requestsServed('/cashins/lookup');
      const statuses = await Promise.all([references[0], unknown, references[1]].map((id) => client.getCashin(id)));
      expect(await provider.requestsServed('/cashins/lookup')).toBe(lookupsBefore + 1);
      expect(statuses.map((call) => call.outcome.kind)).toEqual(['found', 'not_found', 'found']);
      expect(statuses.map((call) => (call.outcome.kind === 'found' ? call.outcome.transaction.amount.value : null))).toEqual([1000, null, 1001]);
      expect(statuses.map((call) => call.httpStatus)).toEqual([200, 200, 200]);

      const batchesBefore = await provider.requestsServed('/sms/outbound/batch');
      const sms = await Promise.all(phones.map((to, index) => client.sendSms({ to, message: `Message ${index}`, reference: references[index] })));
      expect(await provider.requestsServed('/sms/outbound/batch')).toBe(batchesBefore + 1);
      expect(sms.map((call) => call.outcome.kind)).toEqual(['sent', 'sent']);
      // Again (a retry after a lost answer): the provider answers the originals and sends nothing.
      const again = await Promise.all(phones.map((to, index) => client.sendSms({ to, message: `Message ${index}`, reference: references[index] })));
      expect(again.map((call) => call.outcome)).toEqual(sms.map((call) => call.outcome));
      for (const [index, phone] of phones.entries()) expect(await provider.smsTo(phone)).toEqual([expect.objectContaining({ message: `Message ${index}`, reference: references[index] })]);

      // One message the provider refuses refuses its batch: each is then sent alone, so only that one fails.
      const singlesBefore = await provider.requestsServed('/sms/outbound');
      const mixed = await Promise.all([
        client.sendSms({ to: phones[0], message: 'Bonjour', reference: randomUUID() }),
        client.sendSms({ to: '76000000', message: 'Bonjour', reference: randomUUID() }),
      ]);
      expect(mixed.map((call) => call.outcome)).toEqual([{ kind: 'sent', smsId: expect.any(String) }, { kind: 'rejected', httpStatus: 400, code: 'INVALID_REQUEST' }]);
      expect(await provider.requestsServed('/sms/outbound')).toBe(singlesBefore + 2);

      // A whole-request answer stands for every caller of the batch.
      await provider.setFaults({ rateLimit: { requestsPerSecond: 1, retryAfterSeconds: 3 } });
      // At the start of a one-second window, so that both requests fall in it.
      await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
      await client.getCashin(unknown);
      const limited = await Promise.all(references.map((id) => client.getCashin(id)));
      expect(limited.map((call) => call.outcome)).toEqual([
        { kind: 'rate_limited', retryAfterMs: 3000 },
        { kind: 'rate_limited', retryAfterMs: 3000 },
      ]);
    } finally {
      await provider.clearFaults();
      client.close();
    }
  });
});
