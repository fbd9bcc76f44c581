/**
 * `npm run bench:payouts`: disburses a 100,000-line batch against the mock provider (its own
 * process, default latency, no faults, no rate limit) and reports payouts per second from the
 * approval to the last line final, with p50/p99 per line; then the same kind of lines one at a
 * time (a 500-line batch with worker concurrency 1) and the ratio. Payments runs as its own
 * process, as in production.
 *
 * Seeding shortcut: 100,000 awards and payees arrive in payments' read models by SQL, not by
 * 200,000 events (consuming those is eligibility's and enrolment's throughput, not this one's);
 * the programme itself comes by event, so its budget is funded in the ledger as usual.
 *
 * The one-at-a-time baseline is measured twice: payments with worker concurrency 1 (one provider
 * call at a time; a line waiting for its provider outcome does not hold the worker), and a strict
 * loop that pays one line completely (cash-in, status until final, SMS) before starting the next,
 * through the same provider client.
 *
 * Environment: BENCH_LINES (100000), BENCH_SEQUENTIAL_LINES (500), BENCH_CONCURRENCY (512).
 * 512 lines in flight was the fastest of 128/256/512/1024/2048 on the 2-core machine (docs/benchmarks.md):
 * more lines in flight group more of them into each statement on both sides, until the CPU is full.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
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
  startServiceProcess,
  startTestBroker,
  ServiceProcess,
} from '@scholarpay/testing';
import { MobileMoneyClient } from '../src/provider/mobile-money.client';
import { CLIENT_ID, CLIENT_SECRET, EventPublisher, flushRedis, PaymentsApi, PaymentsDb, paymentsEnv, programmeSnapshot, ProviderHandle, users } from '../test/support/payments-test-kit';

const LINES = Number(process.env.BENCH_LINES ?? 100_000);
const SEQUENTIAL_LINES = Number(process.env.BENCH_SEQUENTIAL_LINES ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 512);
const STIPEND = 25_000;
const REDIS_DB = 8;

interface CpuSeconds {
  payments: number;
  provider: number;
  postgres: number;
  redis: number;
}

/** CPU seconds (user + system) used so far by each party of a payout, from /proc. */
function cpuSeconds(pids: { payments?: number; provider?: number }): CpuSeconds {
  const table = processTable();
  const redisMs = table.filter((entry) => entry.command === 'redis-server').reduce((sum, entry) => sum + entry.cpuMs, 0);
  return {
    payments: processTreeCpuMs(pids.payments, table) / 1000,
    provider: processTreeCpuMs(pids.provider, table) / 1000,
    postgres: postgresCpuMs(table) / 1000,
    redis: redisMs / 1000,
  };
}

function cpuSince(start: CpuSeconds, pids: { payments?: number; provider?: number }): CpuSeconds {
  const now = cpuSeconds(pids);
  return {
    payments: now.payments - start.payments,
    provider: now.provider - start.provider,
    postgres: now.postgres - start.postgres,
    redis: now.redis - start.redis,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message: string) => process.stdout.write(`[bench:payouts] ${message}\n`);

interface RunResult {
  lines: number;
  approveMs: number;
  toLastFinalMs: number;
  toCompletedMs: number;
  toLastSmsMs: number;
  payoutsPerSecond: number;
  sendToFinal: { p50: number; p99: number };
  approvalToFinal: { p50: number; p99: number };
  paid: number;
  failed: number;
  providerCalls: Record<string, number>;
  cpu: CpuSeconds;
}

async function main(): Promise<void> {
  await flushRedis(REDIS_DB);
  const broker = await startTestBroker();
  log('starting the provider');
  const provider = await ProviderHandle.start('bench', REDIS_DB, {
    MOBILE_MONEY_INITIAL_FLOAT: String((LINES + SEQUENTIAL_LINES) * STIPEND * 2),
    MOBILE_MONEY_PROCESSING_DELAY_MS: '50',
    MOBILE_MONEY_CALLBACK_BACKOFF_MS: '1000',
    MOBILE_MONEY_CALLBACK_TIMEOUT_MS: '5000',
    MOBILE_MONEY_DB_POOL_SIZE: '24',
    LOG_LEVEL: 'warn',
  });
  const databaseUrl = await createTestDatabase('payments_bench');
  const port = await freePort();
  const envFor = (concurrency: number) =>
    paymentsEnv({
      databaseUrl,
      kafkaBrokers: broker.address,
      redisDb: REDIS_DB,
      providerUrl: provider.url,
      extra: {
        LOG_LEVEL: 'warn',
        PAYMENTS_PROVIDER_TIMEOUT_MS: '10000',
        PAYMENTS_DISBURSEMENT_CONCURRENCY: String(concurrency),
        PAYMENTS_STATUS_CHECK_AFTER_MS: '30000',
        PAYMENTS_UNKNOWN_RECHECK_MS: '1000',
        PAYMENTS_MAX_RECHECK_DELAY_MS: '10000',
        PAYMENTS_RESEND_DELAY_MS: '10000',
        PAYMENTS_POLL_INTERVAL_MS: '2000',
        PAYMENTS_SEND_GRACE_MS: '600000',
        PAYMENTS_JOB_LOCK_MS: '30000',
        PAYMENTS_DB_POOL_SIZE: '24',
        ...(process.env.BENCH_PAYMENTS_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_PAYMENTS_NODE_OPTIONS } : {}),
      },
    });
  let payments: ServiceProcess | null = null;
  let dbHandle: PaymentsDb | null = null;
  let publisherHandle: EventPublisher | null = null;
  try {
    log(`starting payments (worker concurrency ${CONCURRENCY})`);
    payments = await startServiceProcess('payments', envFor(CONCURRENCY), port);
    const api = new PaymentsApi(payments.url);
    const db = await PaymentsDb.connect(databaseUrl);
    dbHandle = db;
    const publisher = await EventPublisher.connect(broker.address);
    publisherHandle = publisher;

    // ---- the programme by event; awards and payees by SQL (see the header) ----
    const programme = programmeSnapshot({ code: 'BENCH', budget: (LINES + SEQUENTIAL_LINES) * STIPEND * 4, firstMonth: '2015-01', lastMonth: '2015-12' });
    await publisher.programmeDefined(programme);
    await waitUntil(async () => (await db.value<number>('SELECT count(*)::int FROM programmes')) === 1, 'the programme event', 60000);
    log(`seeding ${LINES} awards and payees`);
    const studentIds = Array.from({ length: LINES }, () => randomUUID());
    for (let start = 0; start < LINES; start += 10_000) {
      const part = studentIds.slice(start, start + 10_000);
      await db.rows(
        `INSERT INTO payees (student_id, version, full_name, phone, operator, status)
         SELECT id, 1, 'Étudiant ' || ord, '+2237' || lpad((ord + $2)::text, 7, '0'), 'orange', 'enrolled'
           FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, ord)`,
        [part, start],
      );
      // The first SEQUENTIAL_LINES awards also cover 2015-07, for the one-at-a-time run.
      await db.rows(
        `INSERT INTO awards (award_id, version, programme_id, programme_code, student_id, monthly_stipend, first_month, last_month, status, awarded_at, last_reason)
         SELECT gen_random_uuid(), 1, $2, $3, id, $4, '2015-01', CASE WHEN ord + $5 <= $6 THEN '2015-07' ELSE '2015-06' END, 'active', now(), 'eligible'
           FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, ord)`,
        [part, programme.programmeId, programme.code, STIPEND, start, SEQUENTIAL_LINES],
      );
    }

    const loadBefore = os.loadavg()[0];
    const batch = await runBatch('2015-03', LINES, api, db, { payments: payments.child.pid, provider: provider.process.child.pid });
    const loadAfter = os.loadavg()[0];
    log(`CPU during the batch: payments ${batch.cpu.payments.toFixed(1)} s, provider ${batch.cpu.provider.toFixed(1)} s, Postgres ${batch.cpu.postgres.toFixed(1)} s, Redis ${batch.cpu.redis.toFixed(1)} s`);
    log(`batch: ${batch.payoutsPerSecond.toFixed(0)} payouts/s`);

    // ---- the same kind of lines, one at a time ----
    log(`restarting payments with worker concurrency 1 for ${SEQUENTIAL_LINES} lines`);
    await payments.stop();
    payments = await startServiceProcess('payments', envFor(1), port);
    const sequential = await runBatch('2015-07', SEQUENTIAL_LINES, api, db, { payments: payments.child.pid, provider: provider.process.child.pid });
    log(`one at a time: ${sequential.payoutsPerSecond.toFixed(1)} payouts/s`);

    log(`strictly one line after the other: ${SEQUENTIAL_LINES} lines`);
    const phones = Array.from({ length: SEQUENTIAL_LINES }, (_, index) => `+2237${String(index + 1).padStart(7, '0')}`);
    const strict = await strictlySequential(provider.url, phones);
    log(`strictly sequential: ${strict.perSecond.toFixed(1)} payouts/s`);

    const ratio = batch.payoutsPerSecond / sequential.payoutsPerSecond;
    const strictRatio = batch.payoutsPerSecond / strict.perSecond;
    // Steadier from run to run than the rate on a shared machine: what one payout costs in all.
    const cpuPerPayoutMs = ((batch.cpu.payments + batch.cpu.provider + batch.cpu.postgres + batch.cpu.redis) * 1000) / batch.lines;
    const body = [
      `A ${LINES.toLocaleString('en')}-line batch disbursed against the mock provider (own process, default latency: ${'50 ms'} processing delay, no injected faults, no rate limit), payments as its own process with worker concurrency ${CONCURRENCY}. "Final" is PAID or FAILED; each payout is a cash-in, a signed callback confirmed by a status query, ledger postings, a payout event and one SMS.`,
      '',
      '| run | lines | approval (API call) | approval → last line final | payouts/s | send → final p50 / p99 | approval → final p50 / p99 | → batch COMPLETED | → last SMS |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      row(`batch (concurrency ${CONCURRENCY})`, batch),
      row('worker concurrency 1', sequential),
      `| strictly one line after the other (cash-in → status until final → SMS, then the next) | ${SEQUENTIAL_LINES} | – | ${(strict.elapsedMs / 1000).toFixed(1)} s | **${strict.perSecond.toFixed(1)}** | ${Math.round(strict.p50)} ms / ${Math.round(strict.p99)} ms (whole line) | – | – | – |`,
      '',
      `Batch vs worker concurrency 1: **${ratio.toFixed(1)}×**; batch vs strictly one after the other: **${strictRatio.toFixed(0)}×**. Target: at least 1,000 payouts/s; measured **${batch.payoutsPerSecond.toFixed(0)} payouts/s**.`,
      '',
      `CPU used from approval to the last line final: payments ${batch.cpu.payments.toFixed(0)} s (${((batch.cpu.payments * 1000) / batch.lines).toFixed(2)} ms per payout), provider ${batch.cpu.provider.toFixed(0)} s (${((batch.cpu.provider * 1000) / batch.lines).toFixed(2)} ms per payout), Postgres ${batch.cpu.postgres.toFixed(0)} s (${((batch.cpu.postgres * 1000) / batch.lines).toFixed(2)} ms per payout), Redis ${batch.cpu.redis.toFixed(0)} s (${((batch.cpu.redis * 1000) / batch.lines).toFixed(2)} ms per payout); in all ${cpuPerPayoutMs.toFixed(2)} ms of CPU per payout.`,
      '',
      `Outcomes: batch ${batch.paid} paid, ${batch.failed} failed; one at a time ${sequential.paid} paid, ${sequential.failed} failed. Provider calls recorded for the batch: ${Object.entries(batch.providerCalls).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
      '',
      `Payments and the provider share the same ${os.cpus().length} cores, Postgres and Redis, so every payout costs HTTP exchanges (a cash-in and a callback of its own, a share of the bulk status queries and SMS requests) and database work on both sides of the same machine. The machine is shared: the 1-minute load average was ${loadBefore.toFixed(1)} when the batch was approved and ${loadAfter.toFixed(1)} when it finished; expect other runs to differ by that much.`,
    ].join('\n');
    recordBenchmark('payouts', 'Payout disbursement', body);
    log('recorded in docs/benchmarks.md');
    process.stdout.write(`${body}\n`);
    reportBenchResult(
      'payouts',
      {
        payoutsPerSecond: batch.payoutsPerSecond,
        sendToFinalP50Ms: batch.sendToFinal.p50,
        sendToFinalP99Ms: batch.sendToFinal.p99,
        batchVsConcurrencyOne: ratio,
        batchVsStrictlySequential: strictRatio,
        cpuPerPayoutMs,
      },
      {
        payoutsPerSecond: 'payouts/s',
        sendToFinalP50Ms: 'ms',
        sendToFinalP99Ms: 'ms',
        batchVsConcurrencyOne: '×',
        batchVsStrictlySequential: '×',
        cpuPerPayoutMs: 'ms of CPU',
      },
    );
  } finally {
    await publisherHandle?.disconnect().catch(() => undefined);
    if (payments) await payments.stop().catch(() => undefined);
    await dbHandle?.close().catch(() => undefined);
    await provider.stop().catch(() => undefined);
    await broker.stop().catch(() => undefined);
  }
}

function row(label: string, result: RunResult): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const ms = (value: number) => `${Math.round(value)} ms`;
  return `| ${label} | ${result.lines.toLocaleString('en')} | ${s(result.approveMs)} | ${s(result.toLastFinalMs)} | **${result.payoutsPerSecond.toFixed(result.payoutsPerSecond < 100 ? 1 : 0)}** | ${ms(result.sendToFinal.p50)} / ${ms(result.sendToFinal.p99)} | ${s(result.approvalToFinal.p50)} / ${s(result.approvalToFinal.p99)} | ${s(result.toCompletedMs)} | ${s(result.toLastSmsMs)} |`;
}

async function runBatch(month: string, expected: number, api: PaymentsApi, db: PaymentsDb, pids: { payments?: number; provider?: number }): Promise<RunResult> {
  const programmeId = await db.value<string>('SELECT programme_id FROM programmes LIMIT 1');
  log(`creating the ${month} batch`);
  const created = await api.as(users.preparer, 'POST', '/payout-batches', { programmeId, month });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body).slice(0, 500)}`);
  if (created.body.lineCount !== expected) throw new Error(`expected ${expected} lines, got ${created.body.lineCount}`);
  const batchId: string = created.body.id;
  const submitted = await api.as(users.preparer, 'POST', `/payout-batches/${batchId}/submit`, {});
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status}`);

  log(`approving ${expected} lines`);
  const approvalStart = Date.now();
  const cpuAtStart = cpuSeconds(pids);
  const approved = await api.as(users.approver, 'POST', `/payout-batches/${batchId}/approve`, {});
  const approveMs = Date.now() - approvalStart;
  if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${JSON.stringify(approved.body).slice(0, 500)}`);

  let toLastFinalMs = 0;
  let toCompletedMs = 0;
  let toLastSmsMs = 0;
  let lastReport = 0;
  let cpuAtFinal: CpuSeconds = { payments: 0, provider: 0, postgres: 0, redis: 0 };
  for (;;) {
    const [progress] = await db.rows<{ final: number; sms: number; state: string }>(
      `SELECT count(*) FILTER (WHERE l.status IN ('PAID', 'FAILED'))::int AS final,
              count(*) FILTER (WHERE l.status = 'FAILED' OR l.sms_sent_at IS NOT NULL OR l.sms_failure IS NOT NULL)::int AS sms,
              min(b.state) AS state
         FROM payout_lines l JOIN payout_batches b ON b.id = l.batch_id WHERE l.batch_id = $1`,
      [batchId],
    );
    const elapsed = Date.now() - approvalStart;
    if (progress.final === expected && toLastFinalMs === 0) {
      cpuAtFinal = cpuSince(cpuAtStart, pids);
      toLastFinalMs = Number(await db.value<string>(`SELECT (extract(epoch FROM max(completed_at)) * 1000)::bigint::text FROM payout_lines WHERE batch_id = $1`, [batchId])) - approvalStart;
    }
    if (progress.state === 'COMPLETED' && toCompletedMs === 0) {
      toCompletedMs = Number(await db.value<string>(`SELECT (extract(epoch FROM completed_at) * 1000)::bigint::text FROM payout_batches WHERE id = $1`, [batchId])) - approvalStart;
    }
    if (progress.sms === expected && toLastSmsMs === 0) {
      toLastSmsMs = Number(await db.value<string>(`SELECT (extract(epoch FROM max(coalesce(sms_sent_at, completed_at))) * 1000)::bigint::text FROM payout_lines WHERE batch_id = $1`, [batchId])) - approvalStart;
    }
    if (toLastFinalMs && toCompletedMs && toLastSmsMs) break;
    if (elapsed - lastReport >= 5000) {
      lastReport = elapsed;
      log(`${(elapsed / 1000).toFixed(0)} s: ${progress.final}/${expected} final, ${progress.sms} texted, batch ${progress.state}`);
    }
    if (elapsed > 60 * 60 * 1000) throw new Error('the batch did not finish within an hour');
    // The progress query scans the whole batch: on a 100,000-line batch, once a second cost Postgres
    // several per cent of the run it measures. The figures come from the lines' own timestamps, so
    // polling less often changes nothing but the CPU snapshot, taken close to the end.
    await sleep(expected <= 1000 ? 100 : progress.final >= expected * 0.98 ? 500 : 5000);
  }

  const timings = await db.rows<{ send_ms: string; approval_ms: string }>(
    `SELECT (extract(epoch FROM (completed_at - first_sent_at)) * 1000)::text AS send_ms,
            (extract(epoch FROM completed_at) * 1000 - $2::bigint)::text AS approval_ms
       FROM payout_lines WHERE batch_id = $1`,
    [batchId, approvalStart],
  );
  const sendMs = timings.map((t) => Number(t.send_ms));
  const approvalMs = timings.map((t) => Number(t.approval_ms));
  const outcomes = await db.rows<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM payout_lines WHERE batch_id = $1 GROUP BY status`, [batchId]);
  const calls = await db.rows<{ key: string; n: number }>(
    `SELECT operation || ' ' || outcome AS key, count(*)::int AS n FROM provider_transactions pt JOIN payout_lines l ON l.id = pt.line_id WHERE l.batch_id = $1 GROUP BY 1 ORDER BY 1`,
    [batchId],
  );
  return {
    lines: expected,
    approveMs,
    toLastFinalMs,
    toCompletedMs,
    toLastSmsMs,
    payoutsPerSecond: expected / (toLastFinalMs / 1000),
    sendToFinal: { p50: median(sendMs), p99: percentile(sendMs, 99) },
    approvalToFinal: { p50: median(approvalMs), p99: percentile(approvalMs, 99) },
    paid: outcomes.find((o) => o.status === 'PAID')?.n ?? 0,
    failed: outcomes.find((o) => o.status === 'FAILED')?.n ?? 0,
    providerCalls: Object.fromEntries(calls.map((c) => [c.key, c.n])),
    cpu: cpuAtFinal,
  };
}

/** Pays `phones` strictly one after another: cash-in, status queries until final, SMS; then the next. */
async function strictlySequential(providerUrl: string, phones: string[]): Promise<{ perSecond: number; p50: number; p99: number; elapsedMs: number }> {
  const client = new MobileMoneyClient({ baseUrl: providerUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, timeoutMs: 10000, maxSockets: 2 });
  const durations: number[] = [];
  const started = Date.now();
  try {
    for (const phone of phones) {
      const lineStart = Date.now();
      const referenceId = randomUUID();
      const sent = await client.createCashin({ referenceId, msisdn: phone, amount: STIPEND, reference: `SEQ-${referenceId.slice(0, 8)}`, description: 'Bourse ScholarPay juillet 2015' });
      if (sent.outcome.kind !== 'accepted') throw new Error(`sequential cash-in: ${JSON.stringify(sent.outcome)}`);
      for (;;) {
        const status = await client.getCashin(referenceId);
        if (status.outcome.kind === 'found' && status.outcome.transaction.status !== 'PENDING') break;
        await sleep(10);
      }
      const sms = await client.sendSms({ to: phone, message: 'ScholarPay: votre bourse de juillet 2015 (25 000 FCFA) a été versée.', reference: referenceId });
      if (sms.outcome.kind !== 'sent') throw new Error(`sequential SMS: ${JSON.stringify(sms.outcome)}`);
      durations.push(Date.now() - lineStart);
    }
  } finally {
    client.close();
  }
  const elapsedMs = Date.now() - started;
  return { perSecond: phones.length / (elapsedMs / 1000), p50: median(durations), p99: percentile(durations, 99), elapsedMs };
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:payouts failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
