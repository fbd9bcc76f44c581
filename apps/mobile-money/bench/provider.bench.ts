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
import { Agent, createServer, request } from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { Client } from 'pg';
import {
  createTestDatabase,
  freePort,
  median,
  percentile,
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

function post(
  agent: Agent,
  port: number,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function runCashins(
  agent: Agent,
  port: number,
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
      const reply = await post(agent, port, '/cashins', headers, body);
      latencies.push(performance.now() - t0);
      if (reply.status !== 202) throw new Error(`cash-in ${index} answered ${reply.status}: ${reply.body}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { elapsedMs: performance.now() - started, latencies, sentAt };
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); null elsewhere. */
function cpuMsOf(pid: number | undefined): number | null {
  if (!pid || !existsSync(`/proc/${pid}/stat`)) return null;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
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
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  try {
    const tokenReply = await post(
      agent,
      port,
      '/oauth/v3/token',
      {
        Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      'grant_type=client_credentials',
    );
    const token = (JSON.parse(tokenReply.body) as { access_token: string }).access_token;

    await runCashins(agent, port, token, WARMUP, 900_000);
    await waitUntilNoPending(db);
    const { rows: warm } = await db.query(`SELECT max(id) AS id FROM mobile_money.cashins`);

    console.log(`accepting ${TOTAL} cash-ins with ${IN_FLIGHT} in flight…`);
    const cpuBefore = cpuMsOf(provider.child.pid);
    const accept = await runCashins(agent, port, token, TOTAL, 0);
    const cpuAfter = cpuMsOf(provider.child.pid);
    const cpuPerCashin =
      cpuBefore !== null && cpuAfter !== null ? ((cpuAfter - cpuBefore) * 1000) / TOTAL : null;
    const drainMs = await waitUntilNoPending(db);
    const acceptedPerSecond = TOTAL / (accept.elapsedMs / 1000);
    const { rows: finals } = await db.query(
      `SELECT extract(epoch FROM completed_at - created_at) * 1000 AS ms, status FROM mobile_money.cashins WHERE id > $1`,
      [warm[0].id],
    );
    const toFinal = finals.map((row: { ms: string }) => Number(row.ms));
    const failed = finals.filter((row: { status: string }) => row.status !== 'SUCCESS').length;

    console.log(`end to end with callbacks: ${CALLBACK_TOTAL} cash-ins…`);
    const withCallbacks = await runCashins(agent, port, token, CALLBACK_TOTAL, 500_000, callbackUrl);
    const deadline = Date.now() + 120_000;
    while (callbacksReceived.size < CALLBACK_TOTAL && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const endToEnd = [...withCallbacks.sentAt.entries()]
      .filter(([referenceId]) => callbacksReceived.has(referenceId))
      .map(([referenceId, sent]) => callbacksReceived.get(referenceId)! - sent);

    const fmt = (value: number) => value.toFixed(1);
    const body = [
      `Provider in its own process (\`startServiceProcess\`), faults off, LOG_LEVEL=warn, processing delay ${PROCESSING_DELAY_MS} ms, Postgres on the same machine (synchronous commit on). Load generator: Node \`http\` with keep-alive, ${IN_FLIGHT} requests in flight, ${WARMUP} warm-up cash-ins not counted. Payees spread over 5 000 numbers (wallets opened on first credit).`,
      '',
      '| measure | value |',
      '| --- | --- |',
      `| cash-ins accepted (202 PENDING) | ${TOTAL} in ${fmt(accept.elapsedMs / 1000)} s |`,
      `| **accepted per second** | **${Math.round(acceptedPerSecond)}** |`,
      `| accept latency p50 / p99 | ${fmt(median(accept.latencies))} ms / ${fmt(percentile(accept.latencies, 99))} ms |`,
      `| provider CPU per accepted cash-in (accepting and completing, user + system) | ${cpuPerCashin === null ? 'n/a' : `${Math.round(cpuPerCashin)} µs`} |`,
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
    agent.destroy();
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
