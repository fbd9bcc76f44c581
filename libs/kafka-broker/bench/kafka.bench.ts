/**
 * `npm run bench:kafka`: throughput and latency of the embedded broker with real kafkajs clients.
 *
 * The broker runs in a child process (the `npm run kafka` entry point), once with a data
 * directory (durability on: acks=-1 waits for fsync) and once in memory. For each:
 *   1. produce BENCH_RECORDS records of 200 bytes in batches (acks=-1), records/s;
 *   2. consume them all with one consumer group from the beginning, records/s;
 *   3. end-to-end latency at a steady 2,000 records/s (one record per send) for
 *      BENCH_LATENCY_SECONDS, p50 / p99 / max from send to eachMessage.
 * Results go to stdout and to the "Kafka broker" section of docs/benchmarks.md (other sections
 * are kept). Env: BENCH_RECORDS (1000000), BENCH_BATCH (1000), BENCH_PARTITIONS (3),
 * BENCH_LATENCY_SECONDS (15), BENCH_RATE (2000), BENCH_WRITE_DOCS (1).
 */
import { ChildProcess, execSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Kafka, logLevel } from 'kafkajs';

const ROOT = path.resolve(__dirname, '../../..');
const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 3);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 15);
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 8);
const RECORD_BYTES = 200;

interface Result {
  mode: 'durable' | 'memory';
  produceRps: number;
  produceMBps: number;
  consumeRps: number;
  p50: number;
  p99: number;
  max: number;
  latencySamples: number;
}

async function startBrokerProcess(dataDir: string | null): Promise<{ child: ChildProcess; address: string }> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), KAFKA_PORT: '0', KAFKA_LOG_LEVEL: 'warn' };
  if (dataDir) env.KAFKA_DATA_DIR = dataDir;
  else delete env.KAFKA_DATA_DIR;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'libs/kafka-broker/src/cli.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const address = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.on('line', (line) => {
      const m = line.match(/^KAFKA_BROKER_LISTENING (\S+)$/);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`broker exited with ${code}`)));
  });
  return { child, address };
}

async function stopBrokerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await exited;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface LatencyResult {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

function runLatencyWorker(address: string, topic: string): Promise<LatencyResult> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', __filename, '--latency-worker'], {
    cwd: ROOT,
    env: { ...process.env, BENCH_BROKER: address, BENCH_TOPIC: topic },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.on('line', (line) => {
      if (line.startsWith('LATENCY ')) resolve(JSON.parse(line.slice(8)) as LatencyResult);
    });
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`latency worker exited with ${code}`))));
  });
}

/** Producer and consumer in one process: RATE records/s, one per send, acks=-1. */
async function latencyWorker(): Promise<void> {
  const topic = String(process.env.BENCH_TOPIC);
  const kafka = new Kafka({ clientId: 'bench-latency', brokers: [String(process.env.BENCH_BROKER)], logLevel: logLevel.ERROR });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const payload = Buffer.alloc(RECORD_BYTES, 'x');
  const consumer = kafka.consumer({ groupId: `${topic}-group`, maxWaitTimeInMs: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const samples: number[] = [];
  let warmedUp = 0;
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  const nowMs = (): number => Number(process.hrtime.bigint() / 1000n) / 1000;
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.headers?.warmup) {
        warmedUp++;
        return;
      }
      samples.push(nowMs() - Number(message.headers?.sentAt?.toString()));
    },
  });
  while (!joined) await new Promise((r) => setTimeout(r, 20));
  // Warm-up (not measured): producer metadata for the topic, the consumer's first fetches, JIT.
  for (let i = 0; i < 500; i++) await producer.send({ topic, acks: -1, messages: [{ value: payload, headers: { warmup: '1' } }] });
  while (warmedUp < 500) await new Promise((r) => setTimeout(r, 20));
  const total = RATE * LATENCY_SECONDS;
  let sent = 0;
  const pending: Array<Promise<unknown>> = [];
  const l0 = Date.now();
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((Date.now() - l0) / 1000) * RATE));
      while (sent < due) {
        pending.push(producer.send({ topic, acks: -1, messages: [{ value: payload, headers: { sentAt: String(nowMs()) } }] }));
        sent++;
      }
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  await Promise.all(pending);
  const end = Date.now() + 10000;
  while (samples.length < total && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  await consumer.disconnect();
  await producer.disconnect();
  const sorted = [...samples].sort((a, b) => a - b);
  const result: LatencyResult = { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1], samples: samples.length };
  process.stdout.write(`LATENCY ${JSON.stringify(result)}\n`);
}

async function runMode(mode: 'durable' | 'memory'): Promise<Result> {
  const dataDir = mode === 'durable' ? fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-bench-')) : null;
  const { child, address } = await startBrokerProcess(dataDir);
  const kafka = new Kafka({ clientId: `bench-${mode}`, brokers: [address], logLevel: logLevel.ERROR });
  try {
    const admin = kafka.admin();
    await admin.connect();
    const topic = `bench-${mode}`;
    const latencyTopic = `bench-${mode}-latency`;
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }, { topic: latencyTopic, numPartitions: 1 }] });

    // 1. Produce.
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const payload = Buffer.alloc(RECORD_BYTES, 'x');
    let next = 0;
    const t0 = process.hrtime.bigint();
    const worker = async (): Promise<void> => {
      for (;;) {
        const start = next;
        if (start >= RECORDS) return;
        next += BATCH;
        const n = Math.min(BATCH, RECORDS - start);
        const partition = Math.floor(start / BATCH) % PARTITIONS;
        const messages = new Array(n);
        for (let i = 0; i < n; i++) messages[i] = { value: payload, partition };
        await producer.send({ topic, acks: -1, messages });
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const produceSec = Number(process.hrtime.bigint() - t0) / 1e9;
    const offsets = await admin.fetchTopicOffsets(topic);
    const stored = offsets.reduce((s, o) => s + Number(o.high), 0);
    if (stored !== RECORDS) throw new Error(`stored ${stored} records, expected ${RECORDS}`);

    // 2. Consume with one group.
    const consumer = kafka.consumer({ groupId: `bench-${mode}-group`, maxBytesPerPartition: 4 * 1024 * 1024, maxBytes: 16 * 1024 * 1024 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let consumed = 0;
    let c0 = 0n;
    let c1 = 0n;
    const allConsumed = new Promise<void>((resolve) => {
      void consumer.run({
        eachBatch: async ({ batch }) => {
          if (c0 === 0n) c0 = process.hrtime.bigint();
          consumed += batch.messages.length;
          if (consumed >= RECORDS) {
            c1 = process.hrtime.bigint();
            resolve();
          }
        },
      });
    });
    const cStart = process.hrtime.bigint();
    await allConsumed;
    // From run() (join, offset lookup included) to the last record.
    const consumeSec = Number(c1 - cStart) / 1e9;
    await consumer.disconnect();

    await producer.disconnect();
    await admin.disconnect();

    // 3. Latency at a steady rate, one record per send, in a fresh process (no heap left over
    //    from the throughput run, as a service producing at this rate would be).
    const lat = await runLatencyWorker(address, latencyTopic);
    return {
      mode,
      produceRps: RECORDS / produceSec,
      produceMBps: (RECORDS * RECORD_BYTES) / produceSec / 1e6,
      consumeRps: RECORDS / consumeSec,
      p50: lat.p50,
      p99: lat.p99,
      max: lat.max,
      latencySamples: lat.samples,
    };
  } finally {
    await stopBrokerProcess(child);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function machine(): { cores: number; cpu: string; memory: string; node: string; os: string } {
  let cores = os.cpus().length;
  try {
    cores = Number(execSync('nproc').toString().trim());
  } catch {
    // keep os.cpus()
  }
  return {
    cores,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function renderSection(results: Result[], m: ReturnType<typeof machine>, load: { start: number[]; end: number[] }): string {
  const date = new Date().toISOString().slice(0, 10);
  const rows = results.map(
    (r) =>
      `| ${r.mode === 'durable' ? 'on (data dir, fsync per acks=-1)' : 'off (in memory)'} | ${fmt(r.produceRps)} | ${fmt(r.produceMBps, 1)} | ${fmt(r.consumeRps)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.max, 1)} |`,
  );
  const durable = results.find((r) => r.mode === 'durable');
  const verdict = durable
    ? `Targets: produce with durability on >= 50,000 records/s: **${durable.produceRps >= 50000 ? 'met' : 'not met'}** (${fmt(durable.produceRps)}); p99 < 50 ms at 2,000 records/s: **${results.every((r) => r.p99 < 50) ? 'met' : 'not met'}**.`
    : '';
  return [
    '## Kafka broker (libs/kafka-broker)',
    '',
    `Measured ${date} with \`npm run bench:kafka\` on ${m.cores} cores (\`nproc\`), ${m.cpu}, ${m.memory} RAM, ${m.os}, Node ${m.node}.`,
    `Broker in a child process (the \`npm run kafka\` entry point), kafkajs 2.2.4 clients in the benchmark process.`,
    `${fmt(RECORDS)} records of ${RECORD_BYTES} bytes, produced in batches of ${BATCH} with acks=-1 (${IN_FLIGHT} sends in flight, ${PARTITIONS} partitions),`,
    `then consumed by one consumer group from the beginning (time from \`run()\` to the last record).`,
    `Latency: ${fmt(RATE)} records/s for ${LATENCY_SECONDS} s, one record per send with acks=-1, measured from \`send()\` to \`eachMessage\`,`,
    `producer and consumer in one fresh process after 500 warm-up records.`,
    `Load average (1 min) at start ${load.start[0].toFixed(2)}, at end ${load.end[0].toFixed(2)}: the machine is shared, so other work competes for its ${m.cores} cores` +
      (os.getPriority() !== 0 ? ` (the benchmark ran at nice ${os.getPriority()} to get a fair share of them).` : '.'),
    '',
    '| durability | produce records/s | produce MB/s | consume records/s | p50 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    verdict,
    '',
  ].join('\n');
}

const START = '<!-- bench:kafka:start -->';
const END = '<!-- bench:kafka:end -->';

/** Rewrites only this benchmark's section of docs/benchmarks.md (between its markers). */
function writeDocs(section: string): string {
  const file = path.join(ROOT, 'docs', 'benchmarks.md');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const block = `${START}\n${section.trimEnd()}\n${END}`;
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start >= 0 && end > start) {
    text = text.slice(0, start) + block + text.slice(end + END.length);
  } else {
    text = text.replace(/\s*$/, '\n\n') + block + '\n';
  }
  fs.writeFileSync(file, text);
  return file;
}

async function main(): Promise<void> {
  const m = machine();
  const loadStart = os.loadavg();
  process.stdout.write(`kafka broker benchmark: ${fmt(RECORDS)} x ${RECORD_BYTES} B, ${m.cores} cores, ${m.cpu}, load ${loadStart[0].toFixed(2)}\n`);
  const results: Result[] = [];
  for (const mode of ['durable', 'memory'] as const) {
    const r = await runMode(mode);
    results.push(r);
    process.stdout.write(
      `${mode.padEnd(8)} produce ${fmt(r.produceRps)} rec/s (${fmt(r.produceMBps, 1)} MB/s)  consume ${fmt(r.consumeRps)} rec/s  ` +
        `latency p50 ${fmt(r.p50, 2)} ms  p99 ${fmt(r.p99, 2)} ms  max ${fmt(r.max, 1)} ms  (${r.latencySamples} samples)\n`,
    );
  }
  const section = renderSection(results, m, { start: loadStart, end: os.loadavg() });
  if (process.env.BENCH_WRITE_DOCS !== '0') {
    const file = writeDocs(section);
    process.stdout.write(`written to ${path.relative(ROOT, file)}\n`);
  }
  process.stdout.write('\n' + section);
  // The headline figures for `npm run bench` (its BENCH_RESULT contract, infra/scripts/bench-all.ts).
  const durable = results.find((r) => r.mode === 'durable');
  if (durable) {
    const summary = {
      section: 'kafka',
      figures: {
        produceDurablePerSecond: durable.produceRps,
        consumePerSecond: durable.consumeRps,
        latencyP50Ms: durable.p50,
        latencyP99Ms: durable.p99,
      },
      units: { produceDurablePerSecond: 'rec/s', consumePerSecond: 'rec/s', latencyP50Ms: 'ms', latencyP99Ms: 'ms' },
    };
    process.stdout.write(`\nBENCH_RESULT ${JSON.stringify(summary)}\n`);
  }
}

(process.argv.includes('--latency-worker') ? latencyWorker() : main()).catch((err: unknown) => {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
