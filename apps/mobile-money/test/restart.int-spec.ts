import { randomUUID } from 'node:crypto';
import type { RunningServiceApp } from '@scholarpay/platform';
import { freePort, startServiceProcess, waitFor } from '@scholarpay/testing';
import type { ServiceProcess } from '@scholarpay/testing';
import { startMobileMoneyService } from '../src/mobile-money.app';
import { DbProbe } from './db-probe';
import { CallbackReceiver, msisdn, ProviderClient, providerEnv } from './provider-test-kit';

const INITIAL_FLOAT = 1_000_000_000;

async function acceptMany(client: ProviderClient, count: number, callbackUrl: string, firstNumber: number) {
  const references = Array.from({ length: count }, () => randomUUID());
  const answers = await Promise.all(
    references.map((referenceId, index) =>
      client.cashin(
        { msisdn: msisdn(firstNumber + (index % 25)), amount: 1_000 + index },
        { referenceId, callbackUrl },
      ),
    ),
  );
  expect(answers.every((answer) => answer.status === 202)).toBe(true);
  return references;
}

async function expectEachPaidOnce(db: DbProbe, references: string[], receiver: CallbackReceiver) {
  await waitFor(
    async () =>
      (await db.scalar(`SELECT count(*) AS value FROM mobile_money.cashins WHERE status = 'PENDING'`)) === 0,
    { timeoutMs: 60_000, description: 'every cash-in to complete' },
  );
  const rows = await db.query<{ status: string; n: string }>(
    `SELECT status, count(*) AS n FROM mobile_money.cashins WHERE reference_id = ANY($1::uuid[]) GROUP BY status`,
    [references],
  );
  expect(rows).toEqual([{ status: 'SUCCESS', n: String(references.length) }]);
  // One FINAL callback row per cash-in, all delivered (a crash between send and mark may resend: at least once).
  await waitFor(
    async () =>
      (await db.scalar(
        `SELECT count(*) AS value FROM mobile_money.callback_deliveries WHERE status = 'DELIVERED'`,
      )) === (await db.scalar(`SELECT count(*) AS value FROM mobile_money.callback_deliveries`)),
    { timeoutMs: 30_000, description: 'every callback to be delivered' },
  );
  expect(
    await db.scalar(
      `SELECT count(*) AS value FROM (SELECT cashin_id FROM mobile_money.callback_deliveries GROUP BY cashin_id HAVING count(*) <> 1) x`,
    ),
  ).toBe(0);
  for (const referenceId of references) expect(receiver.for(referenceId).length).toBeGreaterThanOrEqual(1);
  await db.assertBooksBalance(INITIAL_FLOAT);
}

describe('mobile-money durability', () => {
  let receiver: CallbackReceiver;

  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
  });

  afterAll(async () => {
    await receiver?.stop();
  });

  it('completes cash-ins left pending by a shutdown exactly once after the restart', async () => {
    const env = await providerEnv('restart', { MOBILE_MONEY_PROCESSING_DELAY_MS: '5000' });
    const db = await DbProbe.connect(env.DATABASE_URL);
    let service: RunningServiceApp | null = await startMobileMoneyService(env, { port: 0 });
    try {
      const client = new ProviderClient(service.url);
      const token = await client.authenticate();
      const references = await acceptMany(client, 60, receiver.url, 1);
      await service.app.close();
      service = null;
      // Left pending at shutdown (all of them unless the machine took over 5 s to accept 60).
      expect(
        await db.scalar(`SELECT count(*) AS value FROM mobile_money.cashins WHERE status = 'PENDING'`),
      ).toBeGreaterThan(0);
      expect(await db.scalar(`SELECT sum(reserved) AS value FROM mobile_money.float_shards`)).toBeGreaterThan(
        0,
      );

      service = await startMobileMoneyService(
        { ...env, MOBILE_MONEY_PROCESSING_DELAY_MS: '10' },
        { port: 0 },
      );
      const restarted = new ProviderClient(service.url);
      restarted.token = token;
      await expectEachPaidOnce(db, references, receiver);
      const statuses = await Promise.all(
        references.slice(0, 5).map((referenceId) => restarted.status(referenceId)),
      );
      expect(statuses.map((answer) => answer.body.status)).toEqual(Array(5).fill('SUCCESS'));
    } finally {
      await service?.app.close();
      await db.close();
    }
  });

  it('survives kill -9 in the middle of completing a burst of cash-ins', async () => {
    const env = await providerEnv('kill9', { MOBILE_MONEY_PROCESSING_DELAY_MS: '0', LOG_LEVEL: 'warn' });
    const db = await DbProbe.connect(env.DATABASE_URL);
    const port = await freePort();
    let child: ServiceProcess | null = await startServiceProcess('mobile-money', env, port);
    try {
      const client = new ProviderClient(child.url);
      const token = await client.authenticate();
      const references = await acceptMany(client, 400, receiver.url, 100);
      // The worker is busy completing the burst (and sending its callbacks): kill it without warning.
      await child.crash();
      child = null;

      child = await startServiceProcess('mobile-money', env, port);
      const restarted = new ProviderClient(child.url);
      restarted.token = token;
      await expectEachPaidOnce(db, references, receiver);
      expect((await restarted.status(references[399])).body.status).toBe('SUCCESS');
    } finally {
      await child?.stop();
      await db.close();
    }
  });
});
