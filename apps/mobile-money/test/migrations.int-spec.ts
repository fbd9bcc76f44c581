import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '@scholarpay/database';
import type { RunningServiceApp } from '@scholarpay/platform';
import { CreateProviderTables1767225600000 } from '../src/database/migrations/1767225600000-create-provider-tables';
import { startMobileMoneyService } from '../src/mobile-money.app';
import { DbProbe } from './db-probe';
import { msisdn, ProviderClient, providerEnv } from './provider-test-kit';

describe('mobile-money migrations', () => {
  it('moves a float kept in one row, with its holds, into shards', async () => {
    const env = await providerEnv('migrations');
    // The schema as the first migration left it, with a float, a pending cash-in and its hold.
    const first = new DataSource({
      ...buildDataSourceOptions({
        url: env.DATABASE_URL,
        schema: 'mobile_money',
        entities: [],
        migrations: [CreateProviderTables1767225600000],
      }),
    } as never);
    await first.initialize();
    await first.query(`CREATE SCHEMA IF NOT EXISTS mobile_money`);
    await first.runMigrations({ transaction: 'each' });
    await first.query(`INSERT INTO merchant_float (id, balance, reserved) VALUES (1, 500000, 30000)`);
    const referenceId = randomUUID();
    const [{ id }] = await first.query(
      `INSERT INTO cashins (transaction_id, reference_id, payload_hash, msisdn, amount, merchant_reference, client_id, status, due_at)
       VALUES ('CI260101.OLD', $1, repeat('0', 64), $2, 30000, 'old', 'merchant', 'PENDING', now()) RETURNING id`,
      [referenceId, msisdn(1)],
    );
    await first.query(`INSERT INTO float_holds (cashin_id, amount) VALUES ($1, 30000)`, [id]);
    await first.destroy();

    let service: RunningServiceApp | null = null;
    const db = await DbProbe.connect(env.DATABASE_URL);
    try {
      service = await startMobileMoneyService(env, { port: 0 });
      const shards = await db.query(
        `SELECT shard, balance::int, reserved::int FROM mobile_money.float_shards ORDER BY shard`,
      );
      expect(shards).toHaveLength(64);
      expect(shards[0]).toEqual({ shard: 0, balance: 500000, reserved: 30000 });
      expect(shards.slice(1).every((shard) => shard.balance === 0 && shard.reserved === 0)).toBe(true);

      const client = new ProviderClient(service.url);
      await client.authenticate();
      expect(await client.finalStatus(referenceId)).toMatchObject({ status: 'SUCCESS' });
      // New cash-ins land on every shard: the first misses spread the float over them.
      const references = Array.from({ length: 20 }, () => randomUUID());
      for (const reference of references)
        await client.cashin({ msisdn: msisdn(2), amount: 1_000 }, { referenceId: reference });
      for (const reference of references)
        expect(await client.finalStatus(reference)).toMatchObject({ status: 'SUCCESS' });
      expect((await client.send('GET', '/account/balance')).body).toEqual({
        available: { value: 500000 - 30000 - 20_000, unit: 'XOF' },
        reserved: { value: 0, unit: 'XOF' },
      });
      await db.assertBooksBalance(500000);
    } finally {
      await service?.app.close();
      await db.close();
    }
  });
});
