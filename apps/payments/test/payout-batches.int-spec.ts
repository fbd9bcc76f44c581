import { randomUUID } from 'node:crypto';
import { EventTypes, Topics } from '@scholarpay/contracts';
import type { RunningServiceApp } from '@scholarpay/platform';
import { createTestDatabase, freePort, KafkaTestBroker, startTestBroker, waitFor } from '@scholarpay/testing';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import { startPaymentsService } from '../src/payments.app';
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

const REDIS_DB = 6;

describe('payments: read models, payout batches, two-person approval, disbursement, ledger and reconciliation', () => {
  let broker: KafkaTestBroker;
  let provider: ProviderHandle;
  let service: RunningServiceApp;
  let publisher: EventPublisher;
  let api: PaymentsApi;
  let db: PaymentsDb;
  let observer: Consumer;
  let databaseUrl: string;
  const observed: { topic: string; key: string; type: string; data: any }[] = [];

  const programme = programmeSnapshot({ budget: 100_000_000 });
  const ids = Array.from({ length: 9 }, () => randomUUID());
  const [s1, s2, s3, s4, s5, s6, s7, s8, s9] = ids;

  beforeAll(async () => {
    await flushRedis(REDIS_DB);
    broker = await startTestBroker();
    // A small float, so the float check can be exercised; topped up later.
    provider = await ProviderHandle.start('batches', REDIS_DB, { MOBILE_MONEY_INITIAL_FLOAT: '200000' });
    databaseUrl = await createTestDatabase('payments_batches');
    service = await startPaymentsService(
      paymentsEnv({ databaseUrl, kafkaBrokers: broker.address, redisDb: REDIS_DB, providerUrl: provider.url }),
      { port: await freePort() },
    );
    api = new PaymentsApi(service.url);
    publisher = await EventPublisher.connect(broker.address);
    db = await PaymentsDb.connect(databaseUrl);
    const kafka = new Kafka({ clientId: 'payments-observer', brokers: [broker.address], logLevel: logLevel.NOTHING });
    observer = kafka.consumer({ groupId: `observer-${randomUUID()}` });
    await observer.connect();
    await observer.subscribe({ topics: [Topics.batchEvents, Topics.payoutEvents], fromBeginning: true });
    await observer.run({
      eachMessage: async ({ topic, message }) => {
        const envelope = JSON.parse(message.value!.toString());
        observed.push({ topic, key: message.key!.toString(), type: envelope.type, data: envelope.data });
      },
    });
  });

  afterAll(async () => {
    await observer?.disconnect();
    await publisher?.disconnect();
    await service?.app.close();
    await db?.close();
    await provider?.stop();
    await broker?.stop();
  });

  describe('read models from events', () => {
    it('keeps the newest programme, award and student snapshot, whatever order they arrive in', async () => {
      await publisher.programmeDefined(programme);
      await publisher.students([
        studentSnapshot(s1, { version: 2, phone: msisdn(101) }),
        studentSnapshot(s1, { version: 1, phone: msisdn(999) }), // older, arrives late: ignored
        studentSnapshot(s2, { phone: msisdn(102) }),
        studentSnapshot(s3, { phone: null, operator: null }),
        studentSnapshot(s4, { phone: '+22320221234', operator: null }),
        studentSnapshot(s5, { phone: msisdn(105), status: 'withdrawn' }),
        // s6: no student event yet
        studentSnapshot(s7, { phone: '+22366123457', operator: 'moov' }),
        studentSnapshot(s8, { phone: msisdn(108) }),
        studentSnapshot(s9, { phone: msisdn(109) }),
      ]);
      const suspended = awardSnapshot(programme, s2, { version: 2, status: 'suspended' });
      await publisher.awards([
        awardSnapshot(programme, s1),
        { ...suspended, version: 2 },
        awardSnapshot(programme, s3),
        awardSnapshot(programme, s4),
        awardSnapshot(programme, s5),
        awardSnapshot(programme, s6),
        awardSnapshot(programme, s7),
        awardSnapshot(programme, s8, { status: 'revoked', version: 3 }),
        awardSnapshot(programme, s9, { lastMonth: '2015-02' }),
      ]);
      await publisher.award('awarded', { ...suspended, version: 1, status: 'active' }); // stale: stays suspended

      await waitFor(async () => (await db.value<number>('SELECT count(*)::int FROM awards')) === 9 && (await db.value<number>('SELECT count(*)::int FROM payees')) === 8, {
        description: 'awards and payees from events',
      });
      await waitFor(async () => (await db.value<number>(`SELECT count(*)::int FROM inbox_events WHERE consumer = 'payments.awards'`)) === 10, {
        description: 'the stale award event consumed',
      });
      expect(await db.value('SELECT phone FROM payees WHERE student_id = $1', [s1])).toBe(msisdn(101));
      expect(await db.value('SELECT status FROM awards WHERE student_id = $1', [s2])).toBe('suspended');
      // The programme's budget funds its ledger account.
      const balance = await api.as(users.auditor, 'GET', `/ledger/programmes/${programme.programmeId}/balance`);
      expect(balance.body).toMatchObject({ funded: 100_000_000, remaining: 100_000_000, committed: 0, paid: 0, balanced: true });
    });
  });

  let batchId: string;

  describe('preparing a batch', () => {
    it('creates a DRAFT with one line per active award, the phone snapshotted, and every exclusion with its reason', async () => {
      const created = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: programme.programmeId, month: '2015-03' });
      expect(created.status).toBe(201);
      batchId = created.body.id;
      expect(created.body).toMatchObject({
        state: 'DRAFT',
        programmeCode: programme.code,
        month: '2015-03',
        lineCount: 2,
        totalAmount: 50000,
        currency: 'XOF',
        createdBy: users.preparer.sub,
        lines: { PENDING: { count: 2, amount: 50000 } },
      });
      expect(created.body.excluded.byReason).toEqual({
        AWARD_SUSPENDED: 1,
        AWARD_REVOKED: 1,
        NO_PHONE: 1,
        PHONE_UNUSABLE: 1,
        STUDENT_NOT_ENROLLED: 1,
        PAYEE_UNKNOWN: 1,
      });
      expect(created.body.excluded.items).toEqual(
        expect.arrayContaining([expect.objectContaining({ studentId: s5, reason: 'STUDENT_NOT_ENROLLED', detail: 'the student is withdrawn' })]),
      );
      expect(created.body.audit).toEqual([expect.objectContaining({ action: 'created', toState: 'DRAFT', actor: users.preparer.sub })]);

      const lines = await api.as(users.approver, 'GET', `/payout-batches/${batchId}/lines`);
      expect(lines.status).toBe(200);
      expect(lines.body.items.map((line: any) => [line.studentId, line.phone, line.operator, line.amount, line.status]).sort()).toEqual(
        [
          [s1, msisdn(101), 'orange', 25000, 'PENDING'],
          [s7, '+22366123457', 'moov', 25000, 'PENDING'],
        ].sort(),
      );
      const paid = await api.as(users.approver, 'GET', `/payout-batches/${batchId}/lines?status=PAID`);
      expect(paid.body.items).toEqual([]);
    });

    it('refuses bad input with 400 naming the field, unknown programmes and months outside the programme with 422', async () => {
      const badMonth = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: programme.programmeId, month: '2015-13' });
      expect(badMonth.status).toBe(400);
      expect(badMonth.body.errors).toEqual([{ field: 'month', problem: 'must be a month written YYYY-MM (e.g. 2015-03)' }]);
      const badId = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: 'gao', month: '2015-03', extra: 1 });
      expect(badId.status).toBe(400);
      expect(badId.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'programmeId', problem: 'must be a UUID' },
          { field: 'extra', problem: 'is not a known field' },
        ]),
      );
      const unknown = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: randomUUID(), month: '2015-03' });
      expect(unknown.status).toBe(422);
      expect(unknown.body.code).toBe('PAYOUT_BATCH.UNKNOWN_PROGRAMME');
      const outside = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: programme.programmeId, month: '2016-01' });
      expect(outside.status).toBe(422);
      expect(outside.body).toMatchObject({ code: 'PAYOUT_BATCH.MONTH_OUTSIDE_PROGRAMME', errors: [{ field: 'month', problem: 'must be between 2014-10 and 2015-06' }] });
      const badStatus = await api.as(users.auditor, 'GET', `/payout-batches/${batchId}/lines?status=LOST`);
      expect(badStatus.status).toBe(400);
      expect(badStatus.body.errors[0].field).toBe('status');
      const badPath = await api.as(users.auditor, 'GET', '/payout-batches/not-a-uuid');
      expect(badPath.status).toBe(400);
      expect(badPath.body.code).toBe('REQUEST.INVALID_ID');
      const missing = await api.as(users.auditor, 'GET', `/payout-batches/${randomUUID()}`);
      expect(missing.status).toBe(404);
    });

    it('lets only finance preparers create batches, and only signed-in staff read them', async () => {
      expect((await api.as(users.approver, 'POST', '/payout-batches', { programmeId: programme.programmeId, month: '2015-03' })).status).toBe(403);
      expect((await api.as(null, 'GET', `/payout-batches/${batchId}`)).status).toBe(401);
      expect((await api.as(users.schoolAdmin, 'GET', `/payout-batches/${batchId}`)).status).toBe(403);
    });

    it('never puts a student in two batches for one month: excluded from a second batch, and refused by the database itself', async () => {
      const second = await api.as(users.preparer2, 'POST', '/payout-batches', { programmeId: programme.programmeId, month: '2015-03' });
      expect(second.status).toBe(422);
      expect(second.body.code).toBe('PAYOUT_BATCH.NOTHING_TO_PAY');
      expect(second.body.details.excludedByReason).toMatchObject({ ALREADY_IN_BATCH: 2 });
      const [line] = await db.rows('SELECT * FROM payout_lines WHERE batch_id = $1 LIMIT 1', [batchId]);
      await expect(
        db.rows(
          `INSERT INTO payout_lines (id, batch_id, programme_id, award_id, student_id, month, amount, phone, payee_name, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'PENDING')`,
          [randomUUID(), batchId, line.programme_id, line.award_id, line.student_id, line.month, line.amount, line.phone, line.payee_name],
        ),
      ).rejects.toThrow(/payout_lines_one_live_per_student_month/);
    });

    it('keeps a student out of a second batch for the month under a re-granted award, or in another programme', async () => {
      const first = programmeSnapshot({ code: 'REGRANT' });
      const other = programmeSnapshot({ code: 'OTHER' });
      const [x, y] = [randomUUID(), randomUUID()];
      const revokedAward = awardSnapshot(first, x);
      await publisher.programmeDefined(first);
      await publisher.programmeDefined(other);
      await publisher.students([studentSnapshot(x, { phone: msisdn(401) }), studentSnapshot(y, { phone: msisdn(402) })]);
      await publisher.awards([revokedAward, awardSnapshot(first, y)]);
      await waitFor(async () => (await db.value<number>('SELECT count(*)::int FROM awards a JOIN payees p USING (student_id) WHERE a.programme_id = $1', [first.programmeId])) === 2, {
        description: 'awards and payees of the first programme',
      });
      const created = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: first.programmeId, month: '2015-03' });
      expect(created.body).toMatchObject({ lineCount: 2 });

      // x's award is revoked in March and a new one granted from March; y also holds an award of another programme.
      const regranted = awardSnapshot(first, x);
      await publisher.awards([{ ...revokedAward, version: 2, status: 'revoked' }, regranted, awardSnapshot(other, y)]);
      await waitFor(async () => (await db.value<number>('SELECT count(*)::int FROM awards WHERE student_id = ANY($1)', [[x, y]])) === 4 && (await db.value('SELECT status FROM awards WHERE award_id = $1', [revokedAward.awardId])) === 'revoked', {
        description: 'the re-granted and second-programme awards',
      });
      const again = await api.as(users.preparer2, 'POST', '/payout-batches', { programmeId: first.programmeId, month: '2015-03' });
      expect(again.status).toBe(422);
      // The revoked award and the re-granted one both find x's live line, and say which batch holds it.
      expect(again.body.details.excludedByReason).toEqual({ ALREADY_IN_BATCH: 3 });
      const elsewhere = await api.as(users.preparer2, 'POST', '/payout-batches', { programmeId: other.programmeId, month: '2015-03' });
      expect(elsewhere.status).toBe(422);
      expect(elsewhere.body.details.excludedByReason).toEqual({ ALREADY_IN_BATCH: 1 });
      const [line] = await db.rows('SELECT * FROM payout_lines WHERE batch_id = $1 AND student_id = $2', [created.body.id, x]);
      await expect(
        db.rows(
          `INSERT INTO payout_lines (id, batch_id, programme_id, award_id, student_id, month, amount, phone, payee_name, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'PENDING')`,
          [randomUUID(), created.body.id, line.programme_id, regranted.awardId, x, line.month, line.amount, line.phone, line.payee_name],
        ),
      ).rejects.toThrow(/payout_lines_one_live_per_student_month/);

      // Rejected, then everyone's award suspended: reopening finds nothing to pay and leaves the batch REJECTED.
      await api.as(users.preparer, 'POST', `/payout-batches/${created.body.id}/submit`, {});
      expect((await api.as(users.approver, 'POST', `/payout-batches/${created.body.id}/reject`, { reason: 'awards under review' })).body.state).toBe('REJECTED');
      const yAward = await db.value<string>('SELECT award_id FROM awards WHERE student_id = $1 AND programme_id = $2', [y, first.programmeId]);
      await publisher.awards([
        { ...regranted, version: 2, status: 'suspended' },
        { ...awardSnapshot(first, y), awardId: yAward, version: 2, status: 'suspended' },
      ]);
      await waitFor(async () => (await db.value<number>(`SELECT count(*)::int FROM awards WHERE programme_id = $1 AND status = 'suspended'`, [first.programmeId])) === 2, {
        description: 'both awards suspended',
      });
      const reopened = await api.as(users.preparer, 'POST', `/payout-batches/${created.body.id}/reopen`, { reason: 'reviewed' });
      expect(reopened.status).toBe(422);
      expect(reopened.body).toMatchObject({ code: 'PAYOUT_BATCH.NOTHING_TO_PAY', details: { excludedByReason: { AWARD_SUSPENDED: 2, AWARD_REVOKED: 1 } } });
      expect((await api.as(users.auditor, 'GET', `/payout-batches/${created.body.id}`)).body).toMatchObject({ state: 'REJECTED', lineCount: 2 });
      expect((await api.as(users.preparer, 'POST', `/payout-batches/${created.body.id}/close`, { reason: 'test over' })).body.state).toBe('CLOSED');
    });
  });

  describe('two-person approval', () => {
    it('moves only along the state machine: approving a DRAFT or submitting twice is a 409', async () => {
      const early = await api.as(users.approver, 'POST', `/payout-batches/${batchId}/approve`, {});
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('PAYOUT_BATCH.ILLEGAL_TRANSITION');
      const submitted = await api.as(users.preparer, 'POST', `/payout-batches/${batchId}/submit`, { comment: 'March stipends' });
      expect(submitted.status).toBe(200);
      expect(submitted.body).toMatchObject({ state: 'PENDING_APPROVAL', submittedBy: users.preparer.sub });
      const again = await api.as(users.preparer, 'POST', `/payout-batches/${batchId}/submit`, {});
      expect(again.status).toBe(409);
    });

    it('refuses approval or rejection by whoever prepared the batch, even with the approver role', async () => {
      const created = await api.as(users.both, 'POST', '/payout-batches', { programmeId: programme.programmeId, month: '2015-04' });
      expect(created.status).toBe(201);
      const own = created.body.id;
      expect((await api.as(users.both, 'POST', `/payout-batches/${own}/submit`, {})).status).toBe(200);
      const approve = await api.as(users.both, 'POST', `/payout-batches/${own}/approve`, {});
      expect(approve.status).toBe(403);
      expect(approve.body.code).toBe('PAYOUT_BATCH.SAME_PERSON');
      const reject = await api.as(users.both, 'POST', `/payout-batches/${own}/reject`, { reason: 'mine' });
      expect(reject.body.code).toBe('PAYOUT_BATCH.SAME_PERSON');
      // A preparer cannot approve at all.
      expect((await api.as(users.preparer, 'POST', `/payout-batches/${own}/approve`, {})).status).toBe(403);
      // Cancelling gives the students' slots back: a new batch for April can take them.
      const cancelled = await api.as(users.both, 'POST', `/payout-batches/${own}/cancel`, { reason: 'prepared by mistake' });
      expect(cancelled.body).toMatchObject({ state: 'CANCELLED', lines: { RELEASED: { count: 2 } } });
      const again = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: programme.programmeId, month: '2015-04' });
      expect(again.status).toBe(201);
      expect((await api.as(users.preparer, 'POST', `/payout-batches/${again.body.id}/cancel`, { reason: 'not this month yet' })).body.state).toBe('CANCELLED');
    });

    it('rejects with a mandatory reason; the batch is reopened as a DRAFT rebuilt from current data', async () => {
      const noReason = await api.as(users.approver, 'POST', `/payout-batches/${batchId}/reject`, { reason: '  ' });
      expect(noReason.status).toBe(400);
      expect(noReason.body.errors).toEqual([{ field: 'reason', problem: 'must not be blank' }]);
      const rejected = await api.as(users.approver, 'POST', `/payout-batches/${batchId}/reject`, { reason: "Aminata Maïga's number is wrong" });
      expect(rejected.body).toMatchObject({ state: 'REJECTED', rejectedBy: users.approver.sub, rejectionReason: "Aminata Maïga's number is wrong" });

      // Enrolment corrects s3's phone; reopening picks it up.
      await publisher.students([studentSnapshot(s3, { version: 2, phone: msisdn(103) })], 'updated');
      await waitFor(async () => (await db.value('SELECT phone FROM payees WHERE student_id = $1', [s3])) === msisdn(103), { description: "s3's new phone" });
      const reopened = await api.as(users.preparer2, 'POST', `/payout-batches/${batchId}/reopen`, { reason: 'phone corrected' });
      expect(reopened.body).toMatchObject({ state: 'DRAFT', lineCount: 3, totalAmount: 75000, rejectedBy: null, submittedBy: null });
      expect(reopened.body.lines).toMatchObject({ PENDING: { count: 3 }, RELEASED: { count: 2 } });
      expect((await api.as(users.preparer, 'POST', `/payout-batches/${batchId}/submit`, {})).status).toBe(200);
    });

    it("refuses approval when the programme's remaining budget does not cover the batch", async () => {
      const small = programmeSnapshot({ budget: 30000, code: 'SMALL' });
      const a = randomUUID();
      const b = randomUUID();
      await publisher.programmeDefined(small);
      await publisher.students([studentSnapshot(a, { phone: msisdn(201) }), studentSnapshot(b, { phone: msisdn(202) })]);
      await publisher.awards([awardSnapshot(small, a), awardSnapshot(small, b)]);
      await waitFor(async () => (await db.value<number>('SELECT count(*)::int FROM awards WHERE programme_id = $1', [small.programmeId])) === 2, { description: 'small awards' });
      await waitFor(async () => (await db.value<number>('SELECT count(*)::int FROM payees WHERE student_id = ANY($1)', [[a, b]])) === 2, { description: 'small payees' });
      const created = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: small.programmeId, month: '2015-03' });
      await api.as(users.preparer, 'POST', `/payout-batches/${created.body.id}/submit`, {});
      const refused = await api.as(users.approver, 'POST', `/payout-batches/${created.body.id}/approve`, {});
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: 'PAYOUT_BATCH.BUDGET_EXCEEDED', details: { batchTotal: 50000, remainingBudget: 30000, shortBy: 20000 } });
      expect(refused.body.message).toContain('short by 20 000 FCFA');
      expect((await api.as(users.auditor, 'GET', `/payout-batches/${created.body.id}`)).body.state).toBe('PENDING_APPROVAL');
      expect((await api.as(users.auditor, 'GET', `/ledger/programmes/${small.programmeId}/balance`)).body).toMatchObject({ remaining: 30000, committed: 0 });
    });

    it("refuses approval when the provider's float does not cover the batch, and accepts once it is topped up", async () => {
      const big = programmeSnapshot({ code: 'BIG', monthlyStipend: 150000 });
      const students = [randomUUID(), randomUUID()];
      await publisher.programmeDefined(big);
      await publisher.students(students.map((id, index) => studentSnapshot(id, { phone: msisdn(301 + index) })));
      await publisher.awards(students.map((id) => awardSnapshot(big, id)));
      await waitFor(async () => (await db.value<number>('SELECT count(*)::int FROM awards a JOIN payees p USING (student_id) WHERE a.programme_id = $1', [big.programmeId])) === 2, {
        description: 'big awards and payees',
      });
      const created = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: big.programmeId, month: '2015-03' });
      await api.as(users.preparer, 'POST', `/payout-batches/${created.body.id}/submit`, {});
      const refused = await api.as(users.approver, 'POST', `/payout-batches/${created.body.id}/approve`, {});
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('PAYOUT_BATCH.INSUFFICIENT_FLOAT');
      expect(refused.body.details).toMatchObject({ batchTotal: 300000, providerAvailable: 200000 });
      const topUp = await provider.request('POST', '/admin/float', { amount: { value: 10_000_000, unit: 'XOF' } });
      expect(topUp.status).toBeLessThan(300);
      const approved = await api.as(users.approver, 'POST', `/payout-batches/${created.body.id}/approve`, {});
      expect(approved.status).toBe(200);
      await waitFor(async () => (await api.as(users.auditor, 'GET', `/payout-batches/${created.body.id}`)).body.state === 'COMPLETED', {
        description: 'the big batch completed',
        timeoutMs: 30000,
      });
    });
    it('does not pay, from a batch prepared earlier, a student suspended or withdrawn since: approval releases their lines and says why', async () => {
      const later = programmeSnapshot({ code: 'LATER' });
      const [keeps, suspended, withdrawn, graduated] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const students = [keeps, suspended, withdrawn, graduated];
      const awards = students.map((id) => awardSnapshot(later, id));
      await publisher.programmeDefined(later);
      await publisher.students(students.map((id, index) => studentSnapshot(id, { phone: msisdn(601 + index) })));
      await publisher.awards(awards);
      await waitFor(async () => (await db.value<number>('SELECT count(*)::int FROM awards a JOIN payees p USING (student_id) WHERE a.programme_id = $1', [later.programmeId])) === 4, {
        description: 'LATER awards and payees',
      });
      const created = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: later.programmeId, month: '2015-03' });
      expect(created.body).toMatchObject({ lineCount: 4, totalAmount: 100000 });
      await api.as(users.preparer, 'POST', `/payout-batches/${created.body.id}/submit`, {});

      // After submission: one award suspended, one student withdrawn (eligibility revokes later), one graduated.
      await publisher.awards([{ ...awards[1], version: 2, status: 'suspended' }]);
      await publisher.students(
        [studentSnapshot(withdrawn, { version: 2, phone: msisdn(603), status: 'withdrawn' }), studentSnapshot(graduated, { version: 2, phone: msisdn(604), status: 'graduated' })],
        'updated',
      );
      await waitFor(
        async () =>
          (await db.value('SELECT status FROM awards WHERE award_id = $1', [awards[1].awardId])) === 'suspended' &&
          (await db.value('SELECT status FROM payees WHERE student_id = $1', [withdrawn])) === 'withdrawn' &&
          (await db.value('SELECT status FROM payees WHERE student_id = $1', [graduated])) === 'graduated',
        { description: 'the changes since the batch was prepared' },
      );
      const approved = await api.as(users.approver, 'POST', `/payout-batches/${created.body.id}/approve`, {});
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ lineCount: 2, totalAmount: 50000 });
      const exclusions = await db.rows('SELECT student_id, reason_code, detail FROM payout_batch_exclusions WHERE batch_id = $1 ORDER BY reason_code', [created.body.id]);
      expect(exclusions).toEqual([
        { student_id: suspended, reason_code: 'AWARD_SUSPENDED', detail: 'the award is suspended (line released at approval)' },
        { student_id: withdrawn, reason_code: 'STUDENT_NOT_ENROLLED', detail: 'the student is withdrawn (line released at approval)' },
      ]);
      const audit = await db.rows(`SELECT details FROM payout_batch_audit WHERE batch_id = $1 AND action = 'approved'`, [created.body.id]);
      expect(audit[0].details).toMatchObject({ lineCount: 2, releasedAtApproval: 2, releasedByReason: { AWARD_SUSPENDED: 1, STUDENT_NOT_ENROLLED: 1 } });
      await waitFor(async () => (await api.as(users.auditor, 'GET', `/payout-batches/${created.body.id}`)).body.state === 'COMPLETED', {
        description: 'the LATER batch completed',
        timeoutMs: 30000,
      });
      const paid = await db.rows(`SELECT student_id FROM payout_lines WHERE batch_id = $1 AND status = 'PAID' ORDER BY student_id`, [created.body.id]);
      expect(paid.map((row) => row.student_id)).toEqual([keeps, graduated].sort());
      expect((await api.as(users.auditor, 'GET', `/ledger/programmes/${later.programmeId}/balance`)).body).toMatchObject({ paid: 50000, committed: 0, balanced: true });
    });

    it('approves, of two batches the float covers only one at a time, exactly one when both are approved at once', async () => {
      const balance = await provider.request('GET', '/account/balance');
      const available: number = balance.body.available.value;
      // Each batch alone fits in the float; both together do not.
      const stipend = Math.floor((available * 0.6) / 2);
      const programmes = [programmeSnapshot({ code: 'RACE-A', monthlyStipend: stipend, budget: 10 * stipend }), programmeSnapshot({ code: 'RACE-B', monthlyStipend: stipend, budget: 10 * stipend })];
      const batchIds: string[] = [];
      for (const [index, racing] of programmes.entries()) {
        const students = [randomUUID(), randomUUID()];
        await publisher.programmeDefined(racing);
        await publisher.students(students.map((id, n) => studentSnapshot(id, { phone: msisdn(501 + 2 * index + n) })));
        await publisher.awards(students.map((id) => awardSnapshot(racing, id)));
        await waitFor(async () => (await db.value<number>('SELECT count(*)::int FROM awards a JOIN payees p USING (student_id) WHERE a.programme_id = $1', [racing.programmeId])) === 2, {
          description: `${racing.code} awards and payees`,
        });
        const created = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: racing.programmeId, month: '2015-03' });
        expect(created.body.totalAmount).toBe(2 * stipend);
        await api.as(users.preparer, 'POST', `/payout-batches/${created.body.id}/submit`, {});
        batchIds.push(created.body.id);
      }
      // Both approvals are held inside their transactions (on the programmes' rows) until both have
      // started, so they overlap for certain.
      const holder = await PaymentsDb.connect(databaseUrl);
      await holder.rows('BEGIN');
      await holder.rows('SELECT 1 FROM programmes WHERE programme_id = ANY($1) FOR UPDATE', [programmes.map((racing) => racing.programmeId)]);
      const approving = Promise.all([
        api.as(users.approver, 'POST', `/payout-batches/${batchIds[0]}/approve`, {}),
        api.as(users.approver2, 'POST', `/payout-batches/${batchIds[1]}/approve`, {}),
      ]);
      await waitFor(
        async () => (await db.value<number>(`SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)) === 2,
        { description: 'both approvals waiting inside their transactions' },
      );
      await holder.rows('COMMIT');
      await holder.close();
      const answers = await approving;
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 422]);
      const refused = answers.find((answer) => answer.status === 422)!;
      expect(refused.body.code).toBe('PAYOUT_BATCH.INSUFFICIENT_FLOAT');
      expect(refused.body.details.otherUnsentCommitments + refused.body.details.providerAvailable).toBeGreaterThanOrEqual(available - 2 * stipend);
      const approvedId = batchIds[answers.findIndex((answer) => answer.status === 200)];
      await waitFor(async () => (await api.as(users.auditor, 'GET', `/payout-batches/${approvedId}`)).body.state === 'COMPLETED', {
        description: 'the approved racing batch completed',
        timeoutMs: 30000,
      });
    });
  });

  describe('disbursement', () => {
    it('pays every line once on approval, texts each student once, completes the batch and announces it all', async () => {
      const approved = await api.as(users.approver, 'POST', `/payout-batches/${batchId}/approve`, { comment: 'checked against the roster' });
      expect(approved.status).toBe(200);
      expect(['APPROVED', 'DISBURSING', 'COMPLETED']).toContain(approved.body.state);
      const done = await waitFor(
        async () => {
          const batch = (await api.as(users.auditor, 'GET', `/payout-batches/${batchId}`)).body;
          return batch.state === 'COMPLETED' && batch.smsSent === 3 ? batch : undefined;
        },
        { description: 'the batch completed with every SMS sent', timeoutMs: 30000 },
      );
      expect(done.summary).toEqual({ paidCount: 3, failedCount: 0, paidAmount: 75000, failedAmount: 0 });
      expect(done.lines).toMatchObject({ PAID: { count: 3, amount: 75000 }, PENDING: { count: 0 }, SUBMITTED: { count: 0 }, UNKNOWN: { count: 0 } });
      expect(done.audit.map((entry: any) => [entry.action, entry.actor])).toEqual([
        ['created', users.preparer.sub],
        ['submitted', users.preparer.sub],
        ['rejected', users.approver.sub],
        ['reopened', users.preparer2.sub],
        ['submitted', users.preparer.sub],
        ['approved', users.approver.sub],
        ['disbursement_started', 'system:disbursement'],
        ['completed', 'system:disbursement'],
      ]);

      // The provider credited each wallet once and each student got one SMS in French.
      const lines = (await api.as(users.auditor, 'GET', `/payout-batches/${batchId}/lines?status=PAID`)).body.items;
      expect(lines).toHaveLength(3);
      for (const line of lines) {
        expect((await provider.subscriber(line.phone))?.balance.value).toBe(25000);
        const sms = await provider.smsTo(line.phone);
        expect(sms).toHaveLength(1);
        expect(sms[0].reference).toBe(line.id);
        expect(sms[0].message).toMatch(/^ScholarPay: votre bourse de mars 2015 \(25 000 FCFA\) a été versée sur votre compte (Orange|Moov) Money\. Réf\. [0-9a-f]{8}\.$/);
      }
      const statement = (await provider.statement()).filter((item) => lines.some((line: any) => line.id === item.referenceId));
      expect(statement).toHaveLength(3);
      expect(statement.every((item) => item.status === 'SUCCESS' && item.amount.value === 25000)).toBe(true);

      // Batch events keyed by batch id; payout events keyed by student id.
      await waitFor(() => observed.filter((event) => event.key === batchId && event.type === EventTypes.batchCompleted).length === 1, { description: 'batchCompleted' });
      const batchEvents = observed.filter((event) => event.key === batchId).map((event) => event.type);
      expect(batchEvents).toEqual([EventTypes.batchSubmitted, EventTypes.batchRejected, EventTypes.batchSubmitted, EventTypes.batchApproved, EventTypes.batchCompleted]);
      const completed = observed.find((event) => event.key === batchId && event.type === EventTypes.batchCompleted)!;
      expect(completed.data).toMatchObject({ lineCount: 3, totalAmount: 75000, summary: { paidCount: 3, paidAmount: 75000 } });
      await waitFor(() => observed.filter((event) => event.data.batchId === batchId && event.type === EventTypes.payoutSucceeded).length === 3, { description: 'payout events' });
      for (const event of observed.filter((entry) => entry.data.batchId === batchId && entry.type === EventTypes.payoutSucceeded)) {
        expect(event.topic).toBe(Topics.payoutEvents);
        expect(event.key).toBe(event.data.studentId);
        expect(event.data).toMatchObject({ amount: 25000, currency: 'XOF', month: '2015-03', programmeId: programme.programmeId });
      }
    });

    it('keeps the ledger balanced: per programme, per student, and in the trial balance', async () => {
      expect((await api.as(users.auditor, 'GET', `/ledger/programmes/${programme.programmeId}/balance`)).body).toEqual({
        programmeId: programme.programmeId,
        programmeCode: programme.code,
        currency: 'XOF',
        funded: 100_000_000,
        remaining: 100_000_000 - 75000,
        committed: 0,
        inFlight: 0,
        paid: 75000,
        balanced: true,
      });
      const student = await api.as(users.preparer, 'GET', `/ledger/students/${s1}/balance`);
      expect(student.body).toMatchObject({ studentId: s1, paid: 25000, committed: 0, inFlight: 0, byProgramme: [{ programmeId: programme.programmeId, paid: 25000 }] });
      expect((await api.as(users.preparer, 'GET', `/ledger/students/${randomUUID()}/balance`)).status).toBe(404);
      const trial = await api.as(users.auditor, 'GET', '/ledger/trial-balance');
      expect(trial.body).toMatchObject({ total: 0, balanced: true, unbalancedPostings: [], linesOutOfPosition: { count: 0 } });
      expect(trial.body.totalDebits).toBe(trial.body.totalCredits);
    });

    it('refuses any change to a ledger entry, and any posting that does not balance', async () => {
      await expect(db.rows('UPDATE ledger_entries SET amount = amount + 1')).rejects.toThrow(/append-only/);
      await expect(db.rows('DELETE FROM ledger_postings')).rejects.toThrow(/append-only/);
      await expect(
        db.rows(
          `WITH p AS (INSERT INTO ledger_postings (posting_key, kind, programme_id, description) VALUES ('forged', 'funding', $1, 'forged') RETURNING id)
           INSERT INTO ledger_entries (posting_id, account, account_type, programme_id, amount) SELECT id, 'programme_budget:x', 'programme_budget', $1, 1000 FROM p`,
          [programme.programmeId],
        ),
      ).rejects.toThrow(/does not balance/);
    });
  });

  describe('reconciliation', () => {
    it('matches a batch with the provider statement, line by line', async () => {
      const result = await api.as(users.auditor, 'POST', '/reconciliations', { batchId });
      expect(result.status).toBe(201);
      // Its 2 lines released by the reopening never reached the provider: not compared.
      expect(result.body).toMatchObject({ batchId, statementItems: 3, linesCompared: 3, matched: 3, mismatches: [] });
      const items = await api.as(users.auditor, 'GET', `/reconciliations/${result.body.id}/items?kind=MATCHED`);
      expect(items.body.items).toHaveLength(3);
      expect((await api.as(users.auditor, 'GET', `/reconciliations/${result.body.id}`)).body).toMatchObject({ counts: { MATCHED: 3 } });
    });

    it('finds, for a period, a credit the provider made under a reference we never issued', async () => {
      const from = new Date(Date.now() - 3600_000).toISOString();
      const stray = randomUUID();
      const stranger = await provider.cashin(stray, msisdn(999), 1000);
      expect(stranger.status).toBe(202);
      await waitFor(async () => (await provider.request('GET', `/cashins/${stray}`)).body.status !== 'PENDING', { description: 'the stray cash-in to complete' });
      const result = await api.as(users.approver, 'POST', '/reconciliations', { from, to: new Date(Date.now() + 60_000).toISOString() });
      expect(result.status).toBe(201);
      expect(result.body.mismatches).toEqual([expect.objectContaining({ kind: 'MISSING_IN_LEDGER', referenceId: stray, providerAmount: 1000, lineId: null })]);
      expect(result.body.counts.MATCHED).toBeGreaterThanOrEqual(5);
    });

    it('asks for either a batch or a period, with from before to', async () => {
      const both = await api.as(users.auditor, 'POST', '/reconciliations', { batchId, from: '2015-03-01T00:00:00Z', to: '2015-04-01T00:00:00Z' });
      expect(both.status).toBe(400);
      const backwards = await api.as(users.auditor, 'POST', '/reconciliations', { from: '2015-04-01T00:00:00Z', to: '2015-03-01T00:00:00Z' });
      expect(backwards.body.errors).toEqual([{ field: 'to', problem: 'must be after from' }]);
      const weekDate = await api.as(users.auditor, 'POST', '/reconciliations', { from: '2026-W49', to: '2026-12-31' });
      expect(weekDate.status).toBe(400);
      expect(weekDate.body.errors).toEqual([{ field: 'from', problem: 'must be a calendar date or date-time, such as 2026-12-01 or 2026-12-01T00:00:00Z' }]);
      const none = await api.as(users.auditor, 'POST', '/reconciliations', {});
      expect(none.status).toBe(400);
    });
  });

  describe('a revocation undone within its month', () => {
    it("pays a revoked award for its month of revocation when the student holds a new award from the month after, and no other revoked award", async () => {
      const undo = programmeSnapshot({ code: 'UNDO', monthlyStipend: 1000, budget: 100_000 });
      // u: withdrawn by mistake in March 2015 and enrolled again in March; eligibility keeps March
      // under the revoked award and starts the new one in April. v: revoked in March, no new award.
      const [u, v] = [randomUUID(), randomUUID()];
      const revoked = awardSnapshot(undo, u, { version: 2, status: 'revoked', revokedInMonth: '2015-03' });
      const successor = awardSnapshot(undo, u, { firstMonth: '2015-04' });
      const gone = awardSnapshot(undo, v, { version: 2, status: 'revoked', revokedInMonth: '2015-03' });
      await publisher.programmeDefined(undo);
      await publisher.students([studentSnapshot(u, { phone: msisdn(701) }), studentSnapshot(v, { phone: msisdn(702) })]);
      await publisher.award('revoked', revoked);
      await publisher.award('revoked', gone);
      await publisher.awards([successor]);
      await waitFor(async () => (await db.value<number>('SELECT count(*)::int FROM awards a JOIN payees p USING (student_id) WHERE a.programme_id = $1', [undo.programmeId])) === 3, {
        description: 'the UNDO awards and payees',
      });
      expect(await db.value('SELECT revoked_in_month FROM awards WHERE award_id = $1', [revoked.awardId])).toBe('2015-03');

      const march = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: undo.programmeId, month: '2015-03' });
      expect(march.status).toBe(201);
      expect(march.body).toMatchObject({ lineCount: 1, totalAmount: 1000, excluded: { byReason: { AWARD_REVOKED: 1 } } });
      expect(march.body.excluded.items).toEqual([expect.objectContaining({ awardId: gone.awardId, reason: 'AWARD_REVOKED' })]);
      const lines = (await api.as(users.auditor, 'GET', `/payout-batches/${march.body.id}/lines`)).body.items;
      expect(lines.map((line: any) => [line.awardId, line.studentId, line.amount])).toEqual([[revoked.awardId, u, 1000]]);

      // Approval checks the line again, and still finds the revocation undone: it pays March.
      await api.as(users.preparer, 'POST', `/payout-batches/${march.body.id}/submit`, {});
      const approved = await api.as(users.approver, 'POST', `/payout-batches/${march.body.id}/approve`, {});
      expect(approved.status).toBe(200);
      const done = await waitFor(
        async () => {
          const batch = (await api.as(users.auditor, 'GET', `/payout-batches/${march.body.id}`)).body;
          return batch.state === 'COMPLETED' ? batch : undefined;
        },
        { description: 'the March batch of the revoked award completed', timeoutMs: 30000 },
      );
      expect(done.summary).toMatchObject({ paidCount: 1, paidAmount: 1000 });
      expect((await provider.subscriber(msisdn(701)))?.balance.value).toBe(1000);
      await waitFor(() => observed.some((event) => event.type === EventTypes.payoutSucceeded && event.data.batchId === march.body.id), { description: 'payout.succeeded for March' });
      expect(observed.find((event) => event.type === EventTypes.payoutSucceeded && event.data.batchId === march.body.id)!.data).toMatchObject({
        awardId: revoked.awardId,
        month: '2015-03',
        amount: 1000,
      });

      // April is the new award's, and the revoked one's other months stay unpaid.
      const april = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: undo.programmeId, month: '2015-04' });
      expect(april.body).toMatchObject({ lineCount: 1, totalAmount: 1000 });
      // u's revoked award is excluded as revoked or, when looked at after the new award's line, as in this batch.
      expect(april.body.excluded.items.map((item: any) => item.awardId).sort()).toEqual([revoked.awardId, gone.awardId].sort());
      expect((await api.as(users.auditor, 'GET', `/payout-batches/${april.body.id}/lines`)).body.items.map((line: any) => line.awardId)).toEqual([successor.awardId]);
      const february = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: undo.programmeId, month: '2015-02' });
      expect(february.status).toBe(422);
      expect(february.body.details.excludedByReason).toEqual({ AWARD_REVOKED: 2 });
    });

    it('releases that line at approval when the new award was suspended since the batch was prepared', async () => {
      const undo = programmeSnapshot({ code: 'UNDO-THEN-SUSPEND', monthlyStipend: 1000, budget: 100_000 });
      const w = randomUUID();
      const revoked = awardSnapshot(undo, w, { version: 2, status: 'revoked', revokedInMonth: '2015-03' });
      const successor = awardSnapshot(undo, w, { firstMonth: '2015-04' });
      await publisher.programmeDefined(undo);
      await publisher.students([studentSnapshot(w, { phone: msisdn(703) })]);
      await publisher.award('revoked', revoked);
      await publisher.awards([successor]);
      await waitFor(async () => (await db.value<number>('SELECT count(*)::int FROM awards a JOIN payees p USING (student_id) WHERE a.programme_id = $1', [undo.programmeId])) === 2, {
        description: 'the UNDO-THEN-SUSPEND awards and payee',
      });
      const march = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId: undo.programmeId, month: '2015-03' });
      expect(march.body).toMatchObject({ lineCount: 1 });
      await api.as(users.preparer, 'POST', `/payout-batches/${march.body.id}/submit`, {});

      await publisher.award('suspended', { ...successor, version: 2, status: 'suspended' });
      await waitFor(async () => (await db.value('SELECT status FROM awards WHERE award_id = $1', [successor.awardId])) === 'suspended', { description: 'the new award suspended' });
      const refused = await api.as(users.approver, 'POST', `/payout-batches/${march.body.id}/approve`, {});
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: 'PAYOUT_BATCH.NOTHING_TO_PAY', details: { excludedByReason: { AWARD_REVOKED: 1 } } });
      expect((await api.as(users.auditor, 'GET', `/ledger/programmes/${undo.programmeId}/balance`)).body).toMatchObject({ committed: 0, paid: 0 });
    });
  });
});
