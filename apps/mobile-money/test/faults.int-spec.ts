import { randomUUID } from 'node:crypto';
import type { RunningServiceApp } from '@scholarpay/platform';
import { waitFor } from '@scholarpay/testing';
import { startMobileMoneyService } from '../src/mobile-money.app';
import { DbProbe } from './db-probe';
import { CallbackReceiver, CLIENT_ID, msisdn, ProviderClient, providerEnv } from './provider-test-kit';

describe('mobile-money fault injection', () => {
  let service: RunningServiceApp;
  let client: ProviderClient;
  let receiver: CallbackReceiver;
  let db: DbProbe;

  const setFaults = async (config: unknown) => {
    const answer = await client.send('PUT', '/admin/faults', { json: config });
    expect(answer.status).toBe(200);
    return answer.body;
  };

  beforeAll(async () => {
    const env = await providerEnv('faults');
    service = await startMobileMoneyService(env, { port: 0 });
    client = new ProviderClient(service.url);
    await client.authenticate();
    receiver = await new CallbackReceiver().start();
    db = await DbProbe.connect(env.DATABASE_URL);
  });

  afterEach(async () => {
    await client.send('DELETE', '/admin/faults');
  });

  afterAll(async () => {
    await service?.app.close();
    await receiver?.stop();
    await db?.close();
  });

  it('shows, replaces and clears the configuration, recording who changed it', async () => {
    const state = await setFaults({ seed: 11, global: { errorRate: 0.25 } });
    expect(state).toEqual({
      config: { seed: 11, global: { errorRate: 0.25 } },
      seed: 11,
      changedBy: CLIENT_ID,
      changedAt: expect.any(String),
      source: {
        kind: 'admin',
        changeId: expect.any(Number),
        action: 'replace',
        clientId: CLIENT_ID,
        changedAt: state.changedAt,
      },
    });
    expect((await client.send('GET', '/admin/faults')).body.config).toEqual({
      seed: 11,
      global: { errorRate: 0.25 },
    });
    const invalid = await client.send('PUT', '/admin/faults', {
      json: { global: { errorRate: 1.5, latency: { kind: 'gamma' } } },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('INVALID_REQUEST');
    expect(invalid.body.errors.map((entry: { field: string }) => entry.field)).toEqual(
      expect.arrayContaining(['global.errorRate', 'global.latency.kind']),
    );
    const cleared = await client.send('DELETE', '/admin/faults');
    expect(cleared.body.config).toEqual({});
    expect(cleared.body.source).toMatchObject({ kind: 'admin', action: 'clear', clientId: CLIENT_ID });
    const audit = await db.query(
      `SELECT config, changed_by, action FROM mobile_money.fault_config_changes ORDER BY id`,
    );
    expect(audit).toEqual([
      { config: { seed: 11, global: { errorRate: 0.25 } }, changed_by: CLIENT_ID, action: 'replace' },
      { config: {}, changed_by: CLIENT_ID, action: 'clear' },
    ]);
    // The change in force is the newest one (see fault-persistence.int-spec.ts for restarts).
    const [current] = await db.query(
      `SELECT change_id::int AS "changeId" FROM mobile_money.fault_config_current`,
    );
    expect(current.changeId).toBe(cleared.body.source.changeId);
  });

  it('refuses an empty, null or non-object PUT body, naming the body, and keeps the faults in force', async () => {
    const inForce = await setFaults({ seed: 5, global: { latency: { kind: 'fixed', ms: 1 } } });
    const changes = await db.scalar(`SELECT count(*) AS value FROM mobile_money.fault_config_changes`);
    const json = { Authorization: `Bearer ${client.token}`, 'Content-Type': 'application/json' };
    for (const [what, headers, body] of [
      ['no body', { Authorization: `Bearer ${client.token}` }, undefined],
      ['an empty JSON body', json, ''],
      ['null', json, 'null'],
      ['a list', json, '[]'],
      ['a number', json, '5'],
      ['text', { Authorization: `Bearer ${client.token}`, 'Content-Type': 'text/plain' }, 'outage'],
    ] as const) {
      const answer = await client.raw('PUT', '/admin/faults', { headers, body });
      expect({ what, status: answer.status, code: answer.body.code, errors: answer.body.errors }).toEqual({
        what,
        status: 400,
        code: 'INVALID_REQUEST',
        errors: [{ field: '(body)', problem: 'must be a JSON object: the whole fault configuration, {} for none' }],
      });
    }
    expect((await client.send('GET', '/admin/faults')).body).toEqual(inForce);
    expect(await db.scalar(`SELECT count(*) AS value FROM mobile_money.fault_config_changes`)).toBe(changes);
    // An explicit {} is a configuration: no faults.
    expect((await setFaults({})).config).toEqual({});
  });

  it('repeats the same faults for the same seed', async () => {
    const config = { seed: 42, global: { errorRate: 0.5 } };
    const run = async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 24; i++) statuses.push((await client.send('GET', '/account/balance')).status);
      return statuses;
    };
    await setFaults(config);
    const first = await run();
    await setFaults(config);
    expect(await run()).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
    await setFaults({ ...config, seed: 43 });
    expect(await run()).not.toEqual(first);
  });

  it('a 500 before acceptance does nothing', async () => {
    await setFaults({ global: { errorRate: 1, errorPhase: 'before' } });
    const referenceId = randomUUID();
    const answer = await client.cashin({ msisdn: msisdn(1), amount: 1_000 }, { referenceId });
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ code: 'INTERNAL_ERROR' });
    await client.send('DELETE', '/admin/faults');
    expect((await client.status(referenceId)).status).toBe(404);
  });

  it('a 500 after acceptance hides a transfer that still completes, and a retry never pays twice', async () => {
    await setFaults({ global: { errorRate: 1, errorPhase: 'after' } });
    const referenceId = randomUUID();
    const input = { msisdn: msisdn(2), amount: 2_000, reference: 'ambiguous' };
    const answer = await client.cashin(input, { referenceId });
    expect(answer.status).toBe(500);
    expect(answer.body.code).toBe('INTERNAL_ERROR');
    await client.send('DELETE', '/admin/faults');
    expect(await client.finalStatus(referenceId)).toMatchObject({ status: 'SUCCESS' });
    const retry = await client.cashin(input, { referenceId });
    expect(retry.status).toBe(409);
    const wallet = await client.send('GET', `/admin/subscribers/${encodeURIComponent(msisdn(2))}`);
    expect(wallet.body.balance.value).toBe(2_000);
  });

  it('a request that hangs past the client timeout still pays', async () => {
    await setFaults({ global: { timeoutRate: 1, timeoutMode: 'hang', hangMs: 10_000 } });
    const referenceId = randomUUID();
    const body = JSON.stringify({
      customer: { idType: 'MSISDN', id: msisdn(3) },
      amount: { value: 3_000, unit: 'XOF' },
      reference: 'hang',
    });
    await expect(
      client.raw('POST', '/cashins', {
        headers: {
          Authorization: `Bearer ${client.token}`,
          'Content-Type': 'application/json',
          'X-Reference-Id': referenceId,
        },
        body,
        signal: AbortSignal.timeout(400),
      }),
    ).rejects.toThrow(/abort|timeout/i);
    await client.send('DELETE', '/admin/faults');
    expect(await client.finalStatus(referenceId)).toMatchObject({
      status: 'SUCCESS',
      amount: { value: 3_000 },
    });
  });

  it('a connection reset after acceptance still pays', async () => {
    await setFaults({ global: { timeoutRate: 1, timeoutMode: 'reset' } });
    const referenceId = randomUUID();
    await expect(client.cashin({ msisdn: msisdn(4), amount: 4_000 }, { referenceId })).rejects.toThrow(
      /fetch failed/,
    );
    await client.send('DELETE', '/admin/faults');
    expect(await client.finalStatus(referenceId)).toMatchObject({ status: 'SUCCESS' });
  });

  it('adds latency', async () => {
    await setFaults({ global: { latency: { kind: 'fixed', ms: 200 } } });
    const started = Date.now();
    expect((await client.send('GET', '/account/balance')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
  });

  it('answers 429 with Retry-After above the rate limit', async () => {
    await setFaults({ rateLimit: { requestsPerSecond: 3, retryAfterSeconds: 2 } });
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => client.send('GET', '/account/balance')),
    );
    const limited = answers.filter((answer) => answer.status === 429);
    expect(answers.filter((answer) => answer.status === 200).length).toBeLessThanOrEqual(6);
    expect(limited.length).toBeGreaterThanOrEqual(6);
    expect(limited[0].headers.get('retry-after')).toBe('2');
    expect(limited[0].body).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });

  it('counts each item of a bulk request against the rate limit', async () => {
    await setFaults({ rateLimit: { requestsPerSecond: 10, retryAfterSeconds: 1 } });
    const referenceIds = Array.from({ length: 10 }, () => randomUUID());
    // Wait for a fresh one-second window so the two requests fall in the same one.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
    const bulk = await client.send('POST', '/cashins/lookup', { json: { referenceIds } });
    const next = await client.send('GET', '/account/balance');
    expect([bulk.status, next.status]).toEqual([200, 429]);
  });

  it('meets the global profile with bulk requests: a 500 before the work sends no SMS of the batch', async () => {
    await setFaults({ global: { errorRate: 1, errorPhase: 'before' } });
    const answer = await client.send('POST', '/sms/outbound/batch', {
      json: { messages: [{ to: msisdn(150), message: 'Bonjour', reference: 'faulted-batch-1' }] },
    });
    expect(answer.status).toBe(500);
    expect(await db.scalar(`SELECT count(*) AS value FROM mobile_money.sms_messages WHERE reference = 'faulted-batch-1'`)).toBe(0);
  });

  it('answers 503 during an outage (switch or window) while admin keeps working', async () => {
    await setFaults({ outage: true });
    for (const answer of [
      await client.send('GET', '/account/balance'),
      await client.cashin({ msisdn: msisdn(5), amount: 1_000 }),
      await client.requestToken('x', 'y'),
    ]) {
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    }
    expect((await client.send('GET', '/admin/faults')).status).toBe(200);
    const now = Date.now();
    await setFaults({
      outages: [{ from: new Date(now - 60_000).toISOString(), to: new Date(now + 60_000).toISOString() }],
    });
    expect((await client.send('GET', '/account/balance')).status).toBe(503);
    await setFaults({
      outages: [{ from: new Date(now - 120_000).toISOString(), to: new Date(now - 60_000).toISOString() }],
    });
    expect((await client.send('GET', '/account/balance')).status).toBe(200);
  });

  it('applies a per-number profile only to that number', async () => {
    await setFaults({ msisdns: { [msisdn(6)]: { errorRate: 1 } } });
    expect((await client.cashin({ msisdn: msisdn(6), amount: 1_000 })).status).toBe(500);
    expect((await client.cashin({ msisdn: msisdn(7), amount: 1_000 })).status).toBe(202);
    expect((await client.send('GET', `/accountholders/${encodeURIComponent(msisdn(6))}/active`)).status).toBe(
      500,
    );
  });

  describe('callbacks', () => {
    const callbackRows = (referenceId: string) =>
      db.query(
        `SELECT d.kind, d.status FROM mobile_money.callback_deliveries d JOIN mobile_money.cashins c ON c.id = d.cashin_id
          WHERE c.reference_id = $1 ORDER BY d.id`,
        [referenceId],
      );

    it('drops a callback', async () => {
      await setFaults({ msisdns: { [msisdn(10)]: { callbacks: { dropRate: 1 } } } });
      const dropped = randomUUID();
      const delivered = randomUUID();
      await client.cashin(
        { msisdn: msisdn(10), amount: 1_000 },
        { referenceId: dropped, callbackUrl: receiver.url },
      );
      await client.finalStatus(dropped);
      await client.cashin(
        { msisdn: msisdn(11), amount: 1_000 },
        { referenceId: delivered, callbackUrl: receiver.url },
      );
      await waitFor(() => receiver.for(delivered).length === 1, { description: 'the control callback' });
      expect(receiver.for(dropped)).toHaveLength(0);
      expect(await callbackRows(dropped)).toEqual([{ kind: 'FINAL', status: 'DROPPED' }]);
    });

    it('duplicates a callback', async () => {
      await setFaults({ global: { callbacks: { duplicateRate: 1 } } });
      const referenceId = randomUUID();
      await client.cashin({ msisdn: msisdn(12), amount: 1_000 }, { referenceId, callbackUrl: receiver.url });
      await waitFor(() => receiver.for(referenceId).length === 2, { description: 'two callbacks' });
      const [a, b] = receiver.for(referenceId);
      expect(a.rawBody.equals(b.rawBody)).toBe(true);
      expect(a.body.status).toBe('SUCCESS');
    });

    it('delays a callback', async () => {
      await setFaults({ global: { callbacks: { delay: { kind: 'fixed', ms: 400 } } } });
      const referenceId = randomUUID();
      await client.cashin({ msisdn: msisdn(13), amount: 1_000 }, { referenceId, callbackUrl: receiver.url });
      const [callback] = await waitFor(() =>
        receiver.for(referenceId).length ? receiver.for(referenceId) : undefined,
      );
      expect(callback.receivedAt - Date.parse(callback.body.completedAt)).toBeGreaterThanOrEqual(395);
    });

    it('sends the final callback while the status query still says PENDING', async () => {
      await setFaults({ global: { callbacks: { earlyRate: 1, earlyKind: 'final', earlyLagMs: 1500 } } });
      const referenceId = randomUUID();
      receiver.answer = (request) => {
        // What a client does on a callback: confirm it with a status query (recorded for the test).
        void client
          .status(request.body.referenceId)
          .then((answer) => statusAtCallback.push(answer.body.status));
        return 200;
      };
      const statusAtCallback: string[] = [];
      await client.cashin({ msisdn: msisdn(14), amount: 1_000 }, { referenceId, callbackUrl: receiver.url });
      const [callback] = await waitFor(() =>
        receiver.for(referenceId).length ? receiver.for(referenceId) : undefined,
      );
      expect(callback.body.status).toBe('SUCCESS');
      await waitFor(() => statusAtCallback.length === 1);
      expect(statusAtCallback).toEqual(['PENDING']);
      expect(await client.finalStatus(referenceId)).toMatchObject({ status: 'SUCCESS' });
      receiver.answer = () => 200;
    });

    it('sends a premature PENDING callback before the final one', async () => {
      await setFaults({ global: { callbacks: { earlyRate: 1, earlyKind: 'pending' } } });
      const referenceId = randomUUID();
      await client.cashin({ msisdn: msisdn(15), amount: 1_000 }, { referenceId, callbackUrl: receiver.url });
      await waitFor(() => receiver.for(referenceId).length === 2, { description: 'both callbacks' });
      expect(
        receiver
          .for(referenceId)
          .map((entry) => entry.body.status)
          .sort(),
      ).toEqual(['PENDING', 'SUCCESS']);
      expect(await callbackRows(referenceId)).toEqual([
        { kind: 'EARLY_PENDING', status: 'DELIVERED' },
        { kind: 'FINAL', status: 'DELIVERED' },
      ]);
    });
  });

  it('keeps its books balanced through every fault', async () => {
    await waitFor(
      async () =>
        (await db.scalar(`SELECT count(*) AS value FROM mobile_money.cashins WHERE status = 'PENDING'`)) ===
        0,
    );
    await db.assertBooksBalance(1_000_000_000);
  });
});
