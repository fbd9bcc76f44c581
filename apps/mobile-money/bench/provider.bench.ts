/**
 * Mock mobile-money provider benchmark (`npm run bench:provider`).
 *
 * Starts the provider as its own process (faults off) against a fresh database, then:
 *  1. accept throughput: N cash-ins (default 20 000) with 64 in flight over keep-alive connections,
 *     each answered 202 PENDING; reports accepted/s and accept latency;
 *  2. time to final status: PENDING → SUCCESS as the provider recorded it (completed_at − created_at)
 *     for the same cash-ins, and how long the queue took to drain after the last acceptance;
 *  3. end to end with callbacks: M cash-ins (default 2 000) with X-Callback-Url, time from sending the
 *     request to receiving the signed callback.
 * Writes its section of docs/benchmarks.md.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Pool } from 'undici';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import {
  createTestDatabase,
  freePort,
  median,
  percentile,
  postgresCpuMs,
  processTable,
  processTreeCpuMs,
  recordBenchmark,
  reportBenchResult,
  serviceTestEnv,
  startServiceProcess,
  testRedisUrl,
} from '@scholarpay/testing';

const TOTAL = Number(process.env.BENCH_CASHINS ?? 20_000);
const WARMUP = 1_000;
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 64);
const CALLBACK_TOTAL = Number(process.env.BENCH_CALLBACK_CASHINS ?? 2_000);
const PROCESSING_DELAY_MS = Number(process.env.BENCH_PROCESSING_DELAY_MS ?? 50);
const CLIENT_ID = 'bench-merchant';
const CLIENT_SECRET = 'bench-client-secret-0123456789';

interface Reply {
  status: number;
  body: string;
}

/**
 * One POST over undici's connection pool: the load generator shares the two cores with the
 * provider and Postgres, and undici costs less CPU per request than node:http's client.
 */
async function post(pool: Pool, path: string, headers: Record<string, string>, body: string): Promise<Reply> {
  const response = await pool.request({ path, method: 'POST', headers, body });
  return { status: response.statusCode, body: await response.body.text() };
}

async function runCashins(
  pool: Pool,
  token: string,
  count: number,
  firstNumber: number,
  callbackUrl?: string,
): Promise<{ elapsedMs: number; latencies: number[]; sentAt: Map<string, number> }> {
  const latencies: number[] = [];
  const sentAt = new Map<string, number>();
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= count) return;
      const referenceId = randomUUID();
      const number = `+2237${String(firstNumber + (index % 5000)).padStart(7, '0')}`;
      const body = JSON.stringify({
        customer: { idType: 'MSISDN', id: number },
        amount: { value: 1_000, unit: 'XOF' },
        reference: `bench-${index}`,
        description: 'Bourse (benchmark)',
      });
      const headers: Record<string, string> = {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'X-Reference-Id': referenceId,
        ...(callbackUrl ? { 'X-Callback-Url': callbackUrl } : {}),
      };
      const t0 = performance.now();
      sentAt.set(referenceId, Date.now());
      const reply = await post(pool, '/cashins', headers, body);
      latencies.push(performance.now() - t0);
      if (reply.status !== 202) throw new Error(`cash-in ${index} answered ${reply.status}: ${reply.body}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { elapsedMs: performance.now() - started, latencies, sentAt };
}

async function waitUntilNoPending(db: Client): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM mobile_money.cashins WHERE status = 'PENDING'`,
    );
    if (rows[0].n === 0) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main(): Promise<void> {
  const databaseUrl = await createTestDatabase('mobile_money_bench');
  const env = serviceTestEnv({
    databaseUrl,
    kafkaBrokers: '127.0.0.1:1',
    redisUrl: testRedisUrl(12),
    extra: {
      LOG_LEVEL: 'warn',
      MOBILE_MONEY_CLIENT_ID: CLIENT_ID,
      MOBILE_MONEY_CLIENT_SECRET: CLIENT_SECRET,
      MOBILE_MONEY_CALLBACK_SECRET: 'bench-callback-secret-0123456789',
      MOBILE_MONEY_PROCESSING_DELAY_MS: String(PROCESSING_DELAY_MS),
      NODE_ENV: 'production',
    },
  });
  const port = await freePort();
  const provider = await startServiceProcess('mobile-money', env, port);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const callbacksReceived = new Map<string, number>();
  const callbackServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { referenceId: string };
      if (!callbacksReceived.has(body.referenceId)) callbacksReceived.set(body.referenceId, Date.now());
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  const callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callbacks`;
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: IN_FLIGHT, pipelining: 1 });
  try {
    const tokenReply = await post(
      pool,
      '/oauth/v3/token',
      {
        Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      'grant_type=client_credentials',
    );
    const token = (JSON.parse(tokenReply.body) as { access_token: string }).access_token;

    await runCashins(pool, token, WARMUP, 900_000);
    await waitUntilNoPending(db);
    const { rows: warm } = await db.query(`SELECT max(id) AS id FROM mobile_money.cashins`);

    console.log(`accepting ${TOTAL} cash-ins with ${IN_FLIGHT} in flight…`);
    const before = processTable();
    const generatorBefore = process.cpuUsage();
    const accept = await runCashins(pool, token, TOTAL, 0);
    const generatorUsage = process.cpuUsage(generatorBefore);
    const after = processTable();
    const perCashin = (ms: number) => (ms * 1000) / TOTAL;
    const cpuPerCashin =
      after.length > 0
        ? perCashin(
            processTreeCpuMs(provider.child.pid, after) - processTreeCpuMs(provider.child.pid, before),
          )
        : null;
    const postgresPerCashin = perCashin(postgresCpuMs(after) - postgresCpuMs(before));
    const generatorPerCashin = (generatorUsage.user + generatorUsage.system) / TOTAL;
    const drainMs = await waitUntilNoPending(db);
    const acceptedPerSecond = TOTAL / (accept.elapsedMs / 1000);
    const { rows: finals } = await db.query(
      `SELECT extract(epoch FROM completed_at - created_at) * 1000 AS ms, status FROM mobile_money.cashins WHERE id > $1`,
      [warm[0].id],
    );
    const toFinal = finals.map((row: { ms: string }) => Number(row.ms));
    const failed = finals.filter((row: { status: string }) => row.status !== 'SUCCESS').length;

    console.log(`end to end with callbacks: ${CALLBACK_TOTAL} cash-ins…`);
    const withCallbacks = await runCashins(pool, token, CALLBACK_TOTAL, 500_000, callbackUrl);
    const deadline = Date.now() + 120_000;
    while (callbacksReceived.size < CALLBACK_TOTAL && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const endToEnd = [...withCallbacks.sentAt.entries()]
      .filter(([referenceId]) => callbacksReceived.has(referenceId))
      .map(([referenceId, sent]) => callbacksReceived.get(referenceId)! - sent);

    const fmt = (value: number) => value.toFixed(1);
    const body = [
      `Provider in its own process (\`startServiceProcess\`), faults off, LOG_LEVEL=warn, processing delay ${PROCESSING_DELAY_MS} ms, Postgres on the same machine (synchronous commit on). Load generator: undici \`Pool\` (keep-alive), ${IN_FLIGHT} requests in flight, ${WARMUP} warm-up cash-ins not counted. Payees spread over 5 000 numbers (wallets opened on first credit).`,
      '',
      '| measure | value |',
      '| --- | --- |',
      `| cash-ins accepted (202 PENDING) | ${TOTAL} in ${fmt(accept.elapsedMs / 1000)} s |`,
      `| **accepted per second** | **${Math.round(acceptedPerSecond)}** |`,
      `| accept latency p50 / p99 | ${fmt(median(accept.latencies))} ms / ${fmt(percentile(accept.latencies, 99))} ms |`,
      `| provider CPU per accepted cash-in (accepting and completing, user + system) | ${cpuPerCashin === null ? 'n/a' : `${Math.round(cpuPerCashin)} µs`} |`,
      `| PostgreSQL CPU per accepted cash-in (all its processes) | ${Math.round(postgresPerCashin)} µs |`,
      `| load generator CPU per cash-in (this process) | ${Math.round(generatorPerCashin)} µs |`,
      `| machine load average (1 min) at the end | ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs |`,
      `| time to final status p50 / p99 (created → completed, provider clock) | ${fmt(median(toFinal))} ms / ${fmt(percentile(toFinal, 99))} ms |`,
      `| queue drained after the last acceptance | ${fmt(drainMs)} ms |`,
      `| cash-ins not SUCCESS | ${failed} |`,
      `| with callbacks: request sent → signed callback received, p50 / p99 (${endToEnd.length} of ${CALLBACK_TOTAL}) | ${fmt(median(endToEnd))} ms / ${fmt(percentile(endToEnd, 99))} ms |`,
      `| with callbacks: accepted per second | ${Math.round(CALLBACK_TOTAL / (withCallbacks.elapsedMs / 1000))} |`,
      '',
      'Target: at least 2 000 cash-ins accepted per second. The accept path is one statement per group of concurrent cash-ins (INSERT … ON CONFLICT on the reference, per-shard float reservation and the holds, in CTEs; group commit) and a cached token check; completion runs in batches of up to 250 per transaction (`FOR UPDATE SKIP LOCKED`).',
    ].join('\n');
    console.log(body);
    reportBenchResult(
      'provider',
      { acceptedPerSecond, finalP50Ms: median(toFinal), finalP99Ms: percentile(toFinal, 99) },
      { acceptedPerSecond: 'cash-ins/s', finalP50Ms: 'ms', finalP99Ms: 'ms' },
    );
    recordBenchmark('provider', 'Mock mobile-money provider', body);
  } finally {
    await pool.close();
    callbackServer.closeAllConnections();
    await new Promise<void>((resolve) => callbackServer.close(() => resolve()));
    await db.end();
    await provider.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
