import { createHmac, randomUUID } from 'node:crypto';
import type { RunningServiceApp } from '@scholarpay/platform';
import { waitFor } from '@scholarpay/testing';
import { verifyCallbackSignature } from '../src/callbacks/callback-signature';
import { startMobileMoneyService } from '../src/mobile-money.app';
import { DbProbe } from './db-probe';
import { CALLBACK_SECRET, CallbackReceiver, msisdn, ProviderClient, providerEnv } from './provider-test-kit';

const INITIAL_FLOAT = 1_000_000_000;

describe('mobile-money cash-ins (conflict mode, auto-create on)', () => {
  let service: RunningServiceApp;
  let client: ProviderClient;
  let receiver: CallbackReceiver;
  let db: DbProbe;

  beforeAll(async () => {
    const env = await providerEnv('cashins', {
      MOBILE_MONEY_KYC1_DAILY_LIMIT: '150000',
      MOBILE_MONEY_KYC1_BALANCE_CAP: '300000',
      MOBILE_MONEY_KYC2_BALANCE_CAP: '600000',
    });
    service = await startMobileMoneyService(env, { port: 0 });
    client = new ProviderClient(service.url);
    await client.authenticate();
    receiver = await new CallbackReceiver().start();
    db = await DbProbe.connect(env.DATABASE_URL);
  });

  afterAll(async () => {
    await service?.app.close();
    await receiver?.stop();
    await db?.close();
  });

  afterEach(() => {
    receiver.answer = () => 200;
  });

  it('accepts a cash-in as PENDING, completes it, credits the wallet and sends a signed callback', async () => {
    const referenceId = randomUUID();
    const accepted = await client.cashin(
      {
        msisdn: msisdn(1),
        amount: 25_000,
        reference: 'stipend-2026-03-line-1',
        description: 'Bourse mars 2026',
      },
      { referenceId, callbackUrl: receiver.url },
    );
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({
      transactionId: expect.stringMatching(/^CI\d{6}\.[0-9A-F]{20}$/),
      referenceId,
      status: 'PENDING',
      reasonCode: null,
      reason: null,
      customer: { idType: 'MSISDN', id: msisdn(1) },
      amount: { value: 25_000, unit: 'XOF' },
      reference: 'stipend-2026-03-line-1',
      description: 'Bourse mars 2026',
      createdAt: expect.any(String),
      completedAt: null,
    });

    const final = await client.finalStatus(referenceId);
    expect(final).toMatchObject({
      transactionId: accepted.body.transactionId,
      status: 'SUCCESS',
      reasonCode: null,
    });
    expect(Date.parse(final.completedAt)).toBeGreaterThanOrEqual(Date.parse(final.createdAt));

    const [callback] = await waitFor(
      () => (receiver.for(referenceId).length ? receiver.for(referenceId) : undefined),
      {
        description: 'the callback',
      },
    );
    expect(callback.body).toEqual(final);
    expect(
      verifyCallbackSignature(
        callback.rawBody,
        callback.signature,
        CALLBACK_SECRET,
        Math.floor(Date.now() / 1000),
      ),
    ).toEqual({
      valid: true,
    });
    // The documented recipe, by hand: HMAC-SHA256 over "<t>.<raw body>".
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(callback.signature!)!;
    expect(
      createHmac('sha256', CALLBACK_SECRET)
        .update(`${t}.${callback.rawBody.toString('utf8')}`)
        .digest('hex'),
    ).toBe(v1);

    const wallet = await client.send('GET', `/admin/subscribers/${encodeURIComponent(msisdn(1))}`);
    expect(wallet.body).toMatchObject({
      msisdn: msisdn(1),
      kycLevel: 2,
      blocked: false,
      balance: { value: 25_000, unit: 'XOF' },
    });
    expect(wallet.body.creditedToday).toEqual({ value: 25_000, unit: 'XOF' });
    expect(wallet.body.createdBy).toBe('auto-create');
  });

  it('answers 404 for an unknown reference and 400 for one that is not a UUID', async () => {
    const unknown = await client.status(randomUUID());
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('RESOURCE_NOT_FOUND');
    const invalid = await client.status('line-42');
    expect(invalid.status).toBe(400);
    // The path parameter is named, not the header of POST /cashins.
    expect(invalid.body).toEqual({
      code: 'INVALID_REFERENCE_ID',
      message: 'referenceId must be a UUID',
      errors: [{ field: 'referenceId', problem: 'must be a UUID' }],
    });
  });

  it('answers status queries sent together each for its own reference, unknown ones 404', async () => {
    const known: string[] = Array.from({ length: 6 }, () => randomUUID());
    await Promise.all(known.map((referenceId, index) => client.cashin({ msisdn: msisdn(70 + index), amount: 1_000 + index }, { referenceId })));
    const unknown: string[] = Array.from({ length: 4 }, () => randomUUID());
    const asked = [...known, ...unknown, ...known.map((referenceId) => referenceId.toUpperCase())];
    const answers = await Promise.all(asked.map((referenceId) => client.status(referenceId)));
    answers.forEach((answer, index) => {
      const referenceId = asked[index].toLowerCase();
      if (unknown.includes(referenceId)) {
        expect({ referenceId, status: answer.status }).toEqual({ referenceId, status: 404 });
      } else {
        const amount = 1_000 + known.indexOf(referenceId);
        expect({ status: answer.status, referenceId: answer.body.referenceId, amount: answer.body.amount.value }).toEqual({ status: 200, referenceId, amount });
      }
    });
  });

  it('refuses requests without a valid X-Reference-Id, body or X-Callback-Url, naming the field', async () => {
    const body = {
      customer: { idType: 'MSISDN', id: msisdn(2) },
      amount: { value: 1000, unit: 'XOF' },
      reference: 'r',
    };
    const missing = await client.send('POST', '/cashins', { json: body });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      code: 'INVALID_REFERENCE_ID',
      errors: [{ field: 'X-Reference-Id', problem: 'is required' }],
    });
    const notUuid = await client.send('POST', '/cashins', {
      json: body,
      headers: { 'X-Reference-Id': 'payout-1' },
    });
    expect(notUuid.body).toMatchObject({
      code: 'INVALID_REFERENCE_ID',
      errors: [{ field: 'X-Reference-Id', problem: 'must be a UUID' }],
    });
    const badUrl = await client.send('POST', '/cashins', {
      json: body,
      headers: { 'X-Reference-Id': randomUUID(), 'X-Callback-Url': 'ftp://example.org/cb' },
    });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body).toMatchObject({ code: 'INVALID_REQUEST', errors: [{ field: 'X-Callback-Url' }] });

    const cases: [unknown, string][] = [
      [{ ...body, customer: { idType: 'MSISDN', id: '76123456' } }, 'customer.id'],
      [{ ...body, customer: { idType: 'EMAIL', id: msisdn(2) } }, 'customer.idType'],
      [{ ...body, amount: { value: 1000.5, unit: 'XOF' } }, 'amount.value'],
      [{ ...body, amount: { value: '1000', unit: 'XOF' } }, 'amount.value'],
      [{ ...body, amount: { value: 0, unit: 'XOF' } }, 'amount.value'],
      [{ ...body, amount: { value: 1000, unit: 'EUR' } }, 'amount.unit'],
      [{ ...body, reference: 'x'.repeat(65) }, 'reference'],
      [{ ...body, description: 'x'.repeat(161) }, 'description'],
      [{ ...body, amount: undefined }, 'amount'],
      [{ ...body, payer: 'me' }, 'payer'],
    ];
    for (const [json, field] of cases) {
      const answer = await client.send('POST', '/cashins', {
        json,
        headers: { 'X-Reference-Id': randomUUID() },
      });
      expect({ field, status: answer.status, code: answer.body.code }).toEqual({
        field,
        status: 400,
        code: 'INVALID_REQUEST',
      });
      expect(answer.body.errors.map((entry: { field: string }) => entry.field)).toContain(field);
    }
    // A value that is not a number is told so, alone: not also "is too large" and "must be at least 1".
    for (const value of ['1500', null]) {
      const answer = await client.send('POST', '/cashins', {
        json: { ...body, amount: { value, unit: 'XOF' } },
        headers: { 'X-Reference-Id': randomUUID() },
      });
      expect({ value, status: answer.status, errors: answer.body.errors }).toEqual({
        value,
        status: 400,
        errors: [{ field: 'amount.value', problem: 'must be a whole number of francs' }],
      });
    }
    expect(
      await db.scalar(`SELECT count(*) AS value FROM mobile_money.cashins WHERE msisdn = $1`, [msisdn(2)]),
    ).toBe(0);
  });

  it('never pays a reference twice: 409 with the original, even with a different body', async () => {
    const referenceId = randomUUID();
    const input = { msisdn: msisdn(3), amount: 10_000, reference: 'dup-seq' };
    const first = await client.cashin(input, { referenceId });
    expect(first.status).toBe(202);
    const again = await client.cashin(input, { referenceId });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'RESOURCE_ALREADY_EXIST',
      transaction: { transactionId: first.body.transactionId },
    });
    await client.finalStatus(referenceId);
    const later = await client.cashin(input, { referenceId });
    expect(later.body.transaction).toMatchObject({
      transactionId: first.body.transactionId,
      status: 'SUCCESS',
    });
    const different = await client.cashin({ ...input, amount: 99_000 }, { referenceId });
    expect(different.status).toBe(409);
    expect(different.body.message).toMatch(/different body/);
    expect(different.body.transaction.amount.value).toBe(10_000);
    const upperCase = await client.cashin(input, { referenceId: referenceId.toUpperCase() });
    expect(upperCase.status).toBe(409);
    const wallet = await client.send('GET', `/admin/subscribers/${encodeURIComponent(msisdn(3))}`);
    expect(wallet.body.balance.value).toBe(10_000);
  });

  it('pays once when the same reference arrives many times at once', async () => {
    const referenceId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 24 }, () =>
        client.cashin({ msisdn: msisdn(4), amount: 7_000, reference: 'dup-par' }, { referenceId }),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 202)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(23);
    const ids = new Set(
      answers.map((answer) => answer.body.transactionId ?? answer.body.transaction.transactionId),
    );
    expect(ids.size).toBe(1);
    await client.finalStatus(referenceId);
    expect(
      await db.scalar(`SELECT count(*) AS value FROM mobile_money.cashins WHERE reference_id = $1`, [
        referenceId,
      ]),
    ).toBe(1);
    const wallet = await client.send('GET', `/admin/subscribers/${encodeURIComponent(msisdn(4))}`);
    expect(wallet.body.balance.value).toBe(7_000);
  });

  it('fails blocked payees, amounts out of bounds, the daily limit and the balance cap with their reason codes', async () => {
    expect((await client.upsertSubscriber(msisdn(10), 2, true)).status).toBe(201);
    await client.upsertSubscriber(msisdn(11), 1);
    await client.upsertSubscriber(msisdn(12), 2);

    const run = async (number: string, amount: number) => {
      const referenceId = randomUUID();
      expect((await client.cashin({ msisdn: number, amount }, { referenceId })).status).toBe(202);
      return client.finalStatus(referenceId);
    };
    expect(await run(msisdn(10), 5_000)).toMatchObject({
      status: 'FAILED',
      reasonCode: 'PAYEE_BLOCKED',
      reason: 'the payee account is blocked',
      completedAt: expect.any(String),
    });
    expect(await run(msisdn(11), 99)).toMatchObject({ status: 'FAILED', reasonCode: 'AMOUNT_OUT_OF_BOUNDS' });
    expect(await run(msisdn(11), 100_001)).toMatchObject({
      status: 'FAILED',
      reasonCode: 'AMOUNT_OUT_OF_BOUNDS',
    });
    expect(await run(msisdn(11), 100_000)).toMatchObject({ status: 'SUCCESS' });
    expect(await run(msisdn(11), 60_000)).toMatchObject({ status: 'FAILED', reasonCode: 'DAILY_LIMIT' });
    expect(await run(msisdn(11), 50_000)).toMatchObject({ status: 'SUCCESS' });
    expect(await run(msisdn(12), 500_000)).toMatchObject({ status: 'SUCCESS' });
    expect(await run(msisdn(12), 100_001)).toMatchObject({
      status: 'FAILED',
      reasonCode: 'PAYEE_BALANCE_CAP',
    });
    expect(await run(msisdn(12), 100_000)).toMatchObject({ status: 'SUCCESS' });

    // Unblocked (an update: 200, balance untouched), the next credit goes through.
    const unblocked = await client.upsertSubscriber(msisdn(10), 2, false);
    expect(unblocked.status).toBe(200);
    expect(unblocked.body).toMatchObject({ blocked: false, balance: { value: 0 } });
    expect(await run(msisdn(10), 5_000)).toMatchObject({ status: 'SUCCESS' });
  });

  it('reports the float reserved by pending cash-ins and releases it on completion', async () => {
    const before = (await client.send('GET', '/account/balance')).body;
    expect(before.reserved).toEqual({ value: 0, unit: 'XOF' });
    await client.send('PUT', '/admin/faults', {
      json: { msisdns: { [msisdn(20)]: { processingDelayMs: 1500 } } },
    });
    const referenceId = randomUUID();
    await client.cashin({ msisdn: msisdn(20), amount: 40_000 }, { referenceId });
    const during = (await client.send('GET', '/account/balance')).body;
    expect(during).toEqual({
      available: { value: before.available.value - 40_000, unit: 'XOF' },
      reserved: { value: 40_000, unit: 'XOF' },
    });
    expect((await client.status(referenceId)).body.status).toBe('PENDING');
    await client.finalStatus(referenceId);
    const after = (await client.send('GET', '/account/balance')).body;
    expect(after).toEqual({
      available: { value: before.available.value - 40_000, unit: 'XOF' },
      reserved: { value: 0, unit: 'XOF' },
    });
    await client.send('DELETE', '/admin/faults');
  });

  it('tells whether a number holds an active account', async () => {
    const active = (number: string) =>
      client.send('GET', `/accountholders/${encodeURIComponent(number)}/active`);
    expect((await active(msisdn(30))).body).toEqual({ result: false });
    await client.upsertSubscriber(msisdn(30), 1);
    expect((await active(msisdn(30))).body).toEqual({ result: true });
    await client.upsertSubscriber(msisdn(30), 1, true);
    expect((await active(msisdn(30))).body).toEqual({ result: false });
    const invalid = await active('0022376000030');
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'INVALID_REQUEST', errors: [{ field: 'msisdn' }] });
  });

  it('validates admin input and tops up the float with a record of who did it', async () => {
    const badSubscriber = await client.send('POST', '/admin/subscribers', {
      json: { msisdn: msisdn(40), kycLevel: 4 },
    });
    expect(badSubscriber.status).toBe(400);
    expect(badSubscriber.body.errors).toEqual([{ field: 'kycLevel', problem: 'must be 1, 2 or 3' }]);
    const unknown = await client.send('GET', `/admin/subscribers/${encodeURIComponent(msisdn(41))}`);
    expect(unknown.status).toBe(404);
    const badFloat = await client.send('POST', '/admin/float', {
      json: { amount: { value: -5, unit: 'XOF' } },
    });
    expect(badFloat.status).toBe(400);
    const before = (await client.send('GET', '/account/balance')).body;
    const topUp = await client.send('POST', '/admin/float', {
      json: { amount: { value: 1_000, unit: 'XOF' }, note: 'test top-up' },
    });
    expect(topUp.status).toBe(200);
    expect(topUp.body.available.value).toBe(before.available.value + 1_000);
    const [record] = await db.query(`SELECT amount, topped_up_by, note FROM mobile_money.float_topups`);
    expect(record).toEqual({ amount: '1000', topped_up_by: 'scholarpay-payments', note: 'test top-up' });
  });

  it('retries a refused callback with backoff until the receiver takes it', async () => {
    receiver.answer = (_request, index) => (index < 2 ? 500 : 200);
    receiver.received.length = 0;
    const referenceId = randomUUID();
    await client.cashin({ msisdn: msisdn(50), amount: 3_000 }, { referenceId, callbackUrl: receiver.url });
    await waitFor(
      async () => {
        const [row] = await db.query(
          `SELECT d.status, d.attempts FROM mobile_money.callback_deliveries d
          JOIN mobile_money.cashins c ON c.id = d.cashin_id WHERE c.reference_id = $1`,
          [referenceId],
        );
        return row?.status === 'DELIVERED' ? row : undefined;
      },
      { description: 'the callback to be delivered' },
    );
    expect(receiver.for(referenceId)).toHaveLength(3);
    const [a, b, c] = receiver.for(referenceId).map((entry) => entry.receivedAt);
    expect(b - a).toBeGreaterThanOrEqual(45);
    expect(c - b).toBeGreaterThanOrEqual(95);
  });

  it('records each callback of a batch sent together by its own answer: delivered, or refused and retried', async () => {
    const refuseOnce = new Set<string>();
    receiver.answer = (request) => {
      const referenceId = (request.body as { referenceId?: string }).referenceId ?? '';
      if (!refuseOnce.has(referenceId)) return 200;
      refuseOnce.delete(referenceId);
      return 502;
    };
    const referenceIds = Array.from({ length: 8 }, () => randomUUID());
    referenceIds.filter((_, index) => index % 2 === 1).forEach((referenceId) => refuseOnce.add(referenceId));
    await Promise.all(
      referenceIds.map((referenceId, index) =>
        client.cashin({ msisdn: msisdn(60 + index), amount: 2_000 }, { referenceId, callbackUrl: receiver.url }),
      ),
    );
    const rows = await waitFor(
      async () => {
        const found = await db.query(
          `SELECT c.reference_id, d.status, d.attempts, d.last_response_status, d.last_error FROM mobile_money.callback_deliveries d
          JOIN mobile_money.cashins c ON c.id = d.cashin_id WHERE c.reference_id = ANY($1::uuid[])`,
          [referenceIds],
        );
        return found.length === referenceIds.length && found.every((row) => row.status === 'DELIVERED') ? found : undefined;
      },
      { description: 'every callback to be delivered' },
    );
    for (const [index, referenceId] of referenceIds.entries()) {
      const row = rows.find((candidate) => candidate.reference_id === referenceId);
      expect(row).toEqual({ reference_id: referenceId, status: 'DELIVERED', attempts: index % 2 === 1 ? 2 : 1, last_response_status: 200, last_error: null });
      expect(receiver.for(referenceId)).toHaveLength(index % 2 === 1 ? 2 : 1);
    }
  });

  it('gives a callback up after the last attempt', async () => {
    receiver.answer = () => 503;
    const referenceId = randomUUID();
    await client.cashin({ msisdn: msisdn(51), amount: 3_000 }, { referenceId, callbackUrl: receiver.url });
    const row = await waitFor(
      async () => {
        const [found] = await db.query(
          `SELECT d.status, d.attempts, d.last_response_status FROM mobile_money.callback_deliveries d
          JOIN mobile_money.cashins c ON c.id = d.cashin_id WHERE c.reference_id = $1`,
          [referenceId],
        );
        return found?.status === 'FAILED' ? found : undefined;
      },
      { description: 'the callback to be given up' },
    );
    expect(row).toEqual({ status: 'FAILED', attempts: 5, last_response_status: 503 });
    expect(receiver.for(referenceId)).toHaveLength(5);
    // The cash-in itself stands: a lost callback is what status queries are for.
    expect((await client.status(referenceId)).body.status).toBe('SUCCESS');
  });

  it('keeps its books balanced', async () => {
    await waitFor(
      async () =>
        (await db.scalar(`SELECT count(*) AS value FROM mobile_money.cashins WHERE status = 'PENDING'`)) ===
        0,
      {
        description: 'no pending cash-in',
      },
    );
    await db.assertBooksBalance(INITIAL_FLOAT, 1_000);
  });
});
