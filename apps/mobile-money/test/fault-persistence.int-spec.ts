import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '@scholarpay/database';
import type { RunningServiceApp } from '@scholarpay/platform';
import { testRedisUrl, waitFor } from '@scholarpay/testing';
import { mobileMoneyDatabase, startMobileMoneyService } from '../src/mobile-money.app';
import { DbProbe } from './db-probe';
import { CLIENT_ID, ProviderClient, providerEnv } from './provider-test-kit';

/** Its own databases (mobile_money_fault_persist_*) and Redis DB 12, shared with no other spec. */
const envFor = (name: string, extra: Record<string, string> = {}) =>
  providerEnv(`fault_persist_${name}`, { REDIS_URL: testRedisUrl(12), ...extra });

const ENV_FAULTS = { global: { latency: { kind: 'fixed', ms: 1 } } };
/**
 * Environment faults a test can see without losing its token: an outage or a global error rate
 * would refuse the token request too (it is faulted like any provider endpoint), so one number fails.
 */
const FAULTED_NUMBER = '+22376000001';
const NUMBER_FAULTS = { msisdns: { [FAULTED_NUMBER]: { errorRate: 1 } } };
const holderCheck = async (client: ProviderClient) =>
  (await client.send('GET', `/accountholders/${encodeURIComponent(FAULTED_NUMBER)}/active`)).status;

/** Statuses of `count` balance queries: with an error rate, the seeded stream shows in them. */
async function statusRun(client: ProviderClient, count = 24): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await client.send('GET', '/account/balance')).status);
  return statuses;
}

describe('mobile-money fault configuration survives a restart', () => {
  const running = new Set<RunningServiceApp>();
  const probes: DbProbe[] = [];

  const start = async (env: Record<string, string>, token?: string) => {
    const service = await startMobileMoneyService(env, { port: 0 });
    running.add(service);
    const client = new ProviderClient(service.url);
    // Tokens are stored, so a restarted provider still accepts the first one (and no token request
    // draws from the fault stream before the run under test).
    if (token) client.token = token;
    else await client.authenticate();
    return { service, client };
  };
  const stop = async (service: RunningServiceApp) => {
    running.delete(service);
    await service.app.close();
  };
  const probe = async (env: Record<string, string>) => {
    const db = await DbProbe.connect(env.DATABASE_URL);
    probes.push(db);
    return db;
  };

  afterEach(async () => {
    for (const service of [...running]) await stop(service);
    for (const db of probes.splice(0)) await db.close();
  });

  it('keeps a PUT across a restart: same configuration, same seed, same stream, and who set it', async () => {
    const env = await envFor('put', {
      MOBILE_MONEY_FAULTS: JSON.stringify(ENV_FAULTS),
      MOBILE_MONEY_FAULT_SEED: '5',
    });
    const db = await probe(env);
    const first = await start(env);
    // No seed in the body: the change is seeded from this process's MOBILE_MONEY_FAULT_SEED (5).
    const put = await first.client.send('PUT', '/admin/faults', { json: { global: { errorRate: 0.5 } } });
    expect(put.status).toBe(200);
    const before = await statusRun(first.client);
    expect(before).toContain(500);
    expect(before).toContain(200);
    await stop(first.service);

    // Another environment at the restart: the stored change wins, seed included.
    const second = await start(
      { ...env, MOBILE_MONEY_FAULTS: JSON.stringify({ outage: true }), MOBILE_MONEY_FAULT_SEED: '6' },
      first.client.token!,
    );
    const state = (await second.client.send('GET', '/admin/faults')).body;
    expect(state).toEqual({
      config: { global: { errorRate: 0.5 } },
      seed: 5,
      changedBy: CLIENT_ID,
      changedAt: put.body.changedAt,
      source: {
        kind: 'admin',
        changeId: put.body.source.changeId,
        action: 'replace',
        clientId: CLIENT_ID,
        changedAt: put.body.changedAt,
      },
    });
    // The random stream restarts from the stored seed: the same requests meet the same faults.
    expect(await statusRun(second.client)).toEqual(before);

    expect(
      await db.query(
        `SELECT action, config, seed::int, changed_by FROM mobile_money.fault_config_changes ORDER BY id`,
      ),
    ).toEqual([
      { action: 'replace', config: { global: { errorRate: 0.5 } }, seed: 5, changed_by: CLIENT_ID },
    ]);
    // The history is append-only.
    await expect(
      db.query(`UPDATE mobile_money.fault_config_changes SET changed_by = 'someone'`),
    ).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM mobile_money.fault_config_changes`)).rejects.toThrow(
      /append-only|foreign key/,
    );
  });

  it('keeps a DELETE across a restart: the environment faults do not come back', async () => {
    const env = await envFor('delete', { MOBILE_MONEY_FAULTS: JSON.stringify(NUMBER_FAULTS) });
    const first = await start(env);
    expect(await holderCheck(first.client)).toBe(500);
    const cleared = await first.client.send('DELETE', '/admin/faults');
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ config: {}, source: { kind: 'admin', action: 'clear' } });
    expect(await holderCheck(first.client)).toBe(200);
    await stop(first.service);

    const second = await start(env, first.client.token!);
    expect((await second.client.send('GET', '/admin/faults')).body).toMatchObject({
      config: {},
      changedBy: CLIENT_ID,
      changedAt: cleared.body.changedAt,
      source: { kind: 'admin', action: 'clear', clientId: CLIENT_ID, changedAt: cleared.body.changedAt },
    });
    expect(await holderCheck(second.client)).toBe(200);
  });

  it('applies the environment configuration until the first admin change', async () => {
    const env = await envFor('env', { MOBILE_MONEY_FAULTS: JSON.stringify(ENV_FAULTS) });
    const db = await probe(env);
    const first = await start(env);
    expect((await first.client.send('GET', '/admin/faults')).body).toMatchObject({
      config: ENV_FAULTS,
      seed: 1,
      changedBy: 'environment',
      source: { kind: 'environment' },
    });
    await stop(first.service);

    // Nothing stored: a restart takes whatever the environment says now.
    const second = await start({
      ...env,
      MOBILE_MONEY_FAULTS: JSON.stringify({ seed: 9, ...NUMBER_FAULTS }),
    });
    expect((await second.client.send('GET', '/admin/faults')).body).toMatchObject({
      config: { seed: 9, ...NUMBER_FAULTS },
      seed: 9,
      source: { kind: 'environment' },
    });
    expect(await holderCheck(second.client)).toBe(500);
    expect(await db.scalar(`SELECT count(*) AS value FROM mobile_money.fault_config_changes`)).toBe(0);
    expect(await db.query(`SELECT change_id FROM mobile_money.fault_config_current`)).toEqual([
      { change_id: null },
    ]);
  });

  it('brings a change made through one process to another sharing the database', async () => {
    const env = await envFor('shared');
    const a = await start(env);
    const b = await start(env, a.client.token!);

    const put = await a.client.send('PUT', '/admin/faults', { json: { seed: 3, outage: true } });
    expect(put.status).toBe(200);
    const startedAt = Date.now();
    const seen = await waitFor(
      async () => {
        const state = (await b.client.send('GET', '/admin/faults')).body;
        return state.source.kind === 'admin' ? state : undefined;
      },
      { timeoutMs: 3000, intervalMs: 25, description: 'the other process to take the change' },
    );
    const lagMs = Date.now() - startedAt;
    expect(seen).toEqual(put.body);
    expect((await b.client.send('GET', '/account/balance')).status).toBe(503);

    // And back the other way, through the second process.
    const cleared = await b.client.send('DELETE', '/admin/faults');
    await waitFor(
      async () =>
        (await a.client.send('GET', '/admin/faults')).body.source.changeId === cleared.body.source.changeId,
      { timeoutMs: 3000, intervalMs: 25, description: 'the first process to take the DELETE' },
    );
    expect((await a.client.send('GET', '/account/balance')).status).toBe(200);
    // The poll runs every 500 ms; a loaded machine may add some, never seconds.
    expect(lagMs).toBeLessThan(2000);
  });

  it('refuses an invalid PUT with the field named and stores nothing', async () => {
    const env = await envFor('invalid', { MOBILE_MONEY_FAULTS: JSON.stringify(ENV_FAULTS) });
    const db = await probe(env);
    const first = await start(env);
    const valid = await first.client.send('PUT', '/admin/faults', {
      json: { seed: 4, global: { errorRate: 0.1 } },
    });
    expect(valid.status).toBe(200);

    const invalid = await first.client.send('PUT', '/admin/faults', {
      json: { global: { timeoutMode: 'sometimes' }, rateLimit: { requestsPerSecond: 0 } },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('INVALID_REQUEST');
    expect(invalid.body.errors.map((entry: { field: string }) => entry.field)).toEqual(
      expect.arrayContaining(['global.timeoutMode', 'rateLimit.requestsPerSecond']),
    );
    expect(await db.scalar(`SELECT count(*) AS value FROM mobile_money.fault_config_changes`)).toBe(1);
    expect((await first.client.send('GET', '/admin/faults')).body).toEqual(valid.body);

    await stop(first.service);
    const second = await start(env, first.client.token!);
    expect((await second.client.send('GET', '/admin/faults')).body).toEqual(valid.body);
  });

  it('does not revive changes recorded before the configuration was persisted', async () => {
    const env = await envFor('legacy', { MOBILE_MONEY_FAULTS: JSON.stringify(ENV_FAULTS) });
    // The schema before PersistFaultConfig, with a run-time change that a restart used to undo.
    const before = new DataSource({
      ...buildDataSourceOptions({
        url: env.DATABASE_URL,
        schema: 'mobile_money',
        entities: [],
        migrations: mobileMoneyDatabase.migrations.filter(
          (migration) => migration.name !== 'PersistFaultConfig1767484800000',
        ),
      }),
    } as never);
    await before.initialize();
    await before.query(`CREATE SCHEMA IF NOT EXISTS mobile_money`);
    await before.runMigrations({ transaction: 'each' });
    await before.query(`INSERT INTO fault_config_changes (config, changed_by) VALUES ($1, 'old-client')`, [
      JSON.stringify({ outage: true }),
    ]);
    await before.destroy();

    const db = await probe(env);
    const { client } = await start(env);
    expect((await client.send('GET', '/admin/faults')).body).toMatchObject({
      config: ENV_FAULTS,
      source: { kind: 'environment' },
    });
    const put = await client.send('PUT', '/admin/faults', { json: { seed: 2 } });
    expect(put.body.source.changeId).toBeGreaterThan(1);
    expect(
      await db.query(
        `SELECT changed_by, action, seed::int FROM mobile_money.fault_config_changes ORDER BY id`,
      ),
    ).toEqual([
      { changed_by: 'old-client', action: null, seed: null },
      { changed_by: CLIENT_ID, action: 'replace', seed: 2 },
    ]);
  });
});
