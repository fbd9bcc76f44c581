import { randomUUID } from 'node:crypto';
import type { RunningServiceApp } from '@scholarpay/platform';
import { waitFor } from '@scholarpay/testing';
import { CashinRepository } from '../src/cashins/cashin.repository';
import { startMobileMoneyService } from '../src/mobile-money.app';
import { homeShard } from '../src/wallets/float-shards';
import { MerchantFloatRepository } from '../src/wallets/merchant-float.repository';
import { DbProbe } from './db-probe';
import { msisdn, ProviderClient, providerEnv } from './provider-test-kit';

const INITIAL_FLOAT = 100_000;

describe('mobile-money cash-ins (replay mode, no auto-create, a small float)', () => {
  let service: RunningServiceApp;
  let client: ProviderClient;
  let db: DbProbe;

  beforeAll(async () => {
    const env = await providerEnv('replay', {
      MOBILE_MONEY_DUPLICATE_MODE: 'replay',
      MOBILE_MONEY_AUTO_CREATE_SUBSCRIBERS: 'false',
      MOBILE_MONEY_INITIAL_FLOAT: String(INITIAL_FLOAT),
    });
    service = await startMobileMoneyService(env, { port: 0 });
    client = new ProviderClient(service.url);
    await client.authenticate();
    db = await DbProbe.connect(env.DATABASE_URL);
    for (let n = 1; n <= 5; n++) await client.upsertSubscriber(msisdn(n), 3);
  });

  afterAll(async () => {
    await service?.app.close();
    await db?.close();
  });

  it('fails a number without a wallet as PAYEE_NOT_FOUND and opens none', async () => {
    const referenceId = randomUUID();
    await client.cashin({ msisdn: msisdn(99), amount: 1_000 }, { referenceId });
    expect(await client.finalStatus(referenceId)).toMatchObject({
      status: 'FAILED',
      reasonCode: 'PAYEE_NOT_FOUND',
      reason: 'the payee has no mobile-money account',
    });
    expect((await client.send('GET', `/admin/subscribers/${encodeURIComponent(msisdn(99))}`)).status).toBe(
      404,
    );
  });

  it('replays the current transaction with 200 for the same reference and body', async () => {
    const referenceId = randomUUID();
    const input = { msisdn: msisdn(1), amount: 10_000, reference: 'replay-1' };
    const first = await client.cashin(input, { referenceId });
    expect(first.status).toBe(202);
    const final = await client.finalStatus(referenceId);
    const replay = await client.cashin(input, { referenceId });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(final);
    const different = await client.cashin({ ...input, amount: 10_001 }, { referenceId });
    expect(different.status).toBe(409);
    expect(different.body).toMatchObject({
      code: 'RESOURCE_ALREADY_EXIST',
      transaction: { amount: { value: 10_000 } },
    });
  });

  it('pays once for parallel duplicates in replay mode too', async () => {
    const referenceId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 16 }, () =>
        client.cashin({ msisdn: msisdn(2), amount: 5_000, reference: 'replay-par' }, { referenceId }),
      ),
    );
    expect(answers.filter((answer) => answer.status === 202)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(15);
    expect(new Set(answers.map((answer) => answer.body.transactionId)).size).toBe(1);
    await client.finalStatus(referenceId);
    const wallet = await client.send('GET', `/admin/subscribers/${encodeURIComponent(msisdn(2))}`);
    expect(wallet.body.balance.value).toBe(5_000);
  });

  it('fails cash-ins the float cannot cover, and pays again once it is topped up', async () => {
    const available = (await client.send('GET', '/account/balance')).body.available.value as number;
    expect(available).toBe(INITIAL_FLOAT - 15_000);
    const covered = randomUUID();
    const short = randomUUID();
    await client.cashin({ msisdn: msisdn(3), amount: available - 1_000 }, { referenceId: covered });
    await client.cashin({ msisdn: msisdn(4), amount: 2_000 }, { referenceId: short });
    expect(await client.finalStatus(covered)).toMatchObject({ status: 'SUCCESS' });
    expect(await client.finalStatus(short)).toMatchObject({
      status: 'FAILED',
      reasonCode: 'MERCHANT_INSUFFICIENT_FUNDS',
    });
    expect((await client.send('GET', '/account/balance')).body).toEqual({
      available: { value: 1_000, unit: 'XOF' },
      reserved: { value: 0, unit: 'XOF' },
    });

    await client.send('POST', '/admin/float', { json: { amount: { value: 50_000, unit: 'XOF' } } });
    const retried = randomUUID();
    await client.cashin({ msisdn: msisdn(4), amount: 2_000 }, { referenceId: retried });
    expect(await client.finalStatus(retried)).toMatchObject({ status: 'SUCCESS' });
  });

  it('never overdraws the float when many cash-ins compete for the last of it', async () => {
    // 1 000 + 50 000 - 2 000 = 49 000 left: 30 cash-ins of 2 000 can pay at most 24.
    const references = Array.from({ length: 30 }, () => randomUUID());
    await Promise.all(
      references.map((referenceId) => client.cashin({ msisdn: msisdn(5), amount: 2_000 }, { referenceId })),
    );
    const finals = await Promise.all(references.map((referenceId) => client.finalStatus(referenceId)));
    expect(finals.filter((final) => final.status === 'SUCCESS')).toHaveLength(24);
    expect(finals.filter((final) => final.reasonCode === 'MERCHANT_INSUFFICIENT_FUNDS')).toHaveLength(6);
    expect((await client.send('GET', '/account/balance')).body.available.value).toBe(1_000);
    await waitFor(
      async () =>
        (await db.scalar(`SELECT count(*) AS value FROM mobile_money.cashins WHERE status = 'PENDING'`)) ===
        0,
    );
    await db.assertBooksBalance(INITIAL_FLOAT, 50_000);
  });

  it('pays from the whole float a cash-in its home shard cannot cover, even when the completion reaches it before the accept path reserves', async () => {
    await client.send('POST', '/admin/float', { json: { amount: { value: 10_000, unit: 'XOF' } } });
    // 11 000 spread over the shards: no shard alone covers 2 000. Inserted as the accept path's
    // first transaction leaves it (pending, due, no hold), as if the process stopped before its
    // second transaction reserved across the shards: only the completion can reserve for it now.
    const cashins = service.app.get(CashinRepository);
    const float = service.app.get(MerchantFloatRepository);
    const referenceId = randomUUID();
    const inserted = await cashins.insertManyIfNewAndReserve([
      {
        transactionId: `CI-TEST-${referenceId.slice(0, 8)}`,
        referenceId,
        payloadHash: 'test',
        msisdn: msisdn(5),
        amount: 2_000,
        merchantReference: 'whole-float',
        description: null,
        callbackUrl: null,
        clientId: 'test',
        processingDelayMs: 0,
        callbackPlan: null,
        floatShard: homeShard(referenceId, float.shardCount),
      },
    ]);
    expect(inserted.get(referenceId)?.held).toBe(false);
    expect(await client.finalStatus(referenceId)).toMatchObject({ status: 'SUCCESS' });
    expect((await client.send('GET', '/account/balance')).body).toEqual({
      available: { value: 9_000, unit: 'XOF' },
      reserved: { value: 0, unit: 'XOF' },
    });
    await db.assertBooksBalance(INITIAL_FLOAT, 60_000);
  });
});
