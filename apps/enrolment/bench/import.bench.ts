/**
 * Student CSV import of 100,000 rows, end to end: the service runs in this process against a scratch
 * database, the Kafka-protocol broker runs in a child process (so its log of 100,000 events does not
 * count as the service's memory), the file is uploaded over HTTP as a stream and the import is
 * polled until it completes. Then the same file is uploaded again (every row unchanged, nothing
 * published). Target: under 60 s, with flat memory (the file is never held whole).
 *
 *   npm run bench:import [-- rows]
 *
 * RSS of this process is sampled every 100 ms, the live heap after a forced GC at every fifth of the
 * import, and the CPU time of the service and of its Postgres backends is measured (wall time on a
 * shared machine depends on what else runs; CPU time is what the import costs). The figures go to
 * docs/benchmarks.md. BENCH_CPU_PROFILE=<file> also writes a CPU profile of the first import.
 */
import 'reflect-metadata';
import { OutboxRelay } from '@scholarpay/messaging';
import {
  createTestDatabase,
  recordBenchmark,
  reportBenchResult,
  serviceTestEnv,
  testRedisUrl,
  testToken,
  waitFor,
} from '@scholarpay/testing';
import { ChildProcess, spawn } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import Redis from 'ioredis';
import { Client } from 'pg';
import { startEnrolmentService } from '../src/enrolment.app';

const ROWS = Number(process.argv[2] ?? 100_000);
const REDIS_DB = 3;
const QUEUE_PREFIX = 'enrolment-bench';
const REPO_ROOT = path.resolve(__dirname, '../../..');

const SCHOOLS = Array.from({ length: 20 }, (_, index) => `ESS-${String(index + 1).padStart(2, '0')}`);
const REGIONS = [
  'Gao',
  'Tombouctou',
  'Kidal',
  'Ménaka',
  'Taoudénit',
  'Mopti',
  'Ségou',
  'Bamako',
  'Kayes',
  'Sikasso',
];
const FIRST = [
  'Aïssata',
  'Sékou',
  'Fatoumata',
  'Moussa',
  'Aminata',
  'Ibrahim',
  'Oumou',
  'Mamadou',
  'Hawa',
  'Boubacar',
  'Djénéba',
  'Adama',
];
const LAST = [
  "N'Diaye",
  'Traoré',
  'Ould Mohamed',
  'Maïga',
  'Touré',
  'Keïta',
  'Coulibaly',
  'Diallo',
  'Cissé',
  'Sidibé',
  'Ag Alhassane',
  'Dembélé',
];
const PROGRAMMES = ['Soins infirmiers', 'Sage-femme', 'Santé publique', 'Laboratoire'];

/** mulberry32: the same file on every run and machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A French file as a school's spreadsheet exports it: BOM, semicolons, CRLF, DD/MM/YYYY dates. */
async function generateCsv(file: string, rows: number): Promise<void> {
  const next = random(2014);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(
    '\ufeffNINA;Prénom;Nom;Sexe;Date de naissance;Région d’origine;Code école;Filière;Année d’entrée;Téléphone;Opérateur\r\n',
  );
  for (let index = 0; index < rows; index += 1) {
    // Unique mobile numbers: Orange 70-79 and Moov 60-69 prefixes, six digits each.
    const prefix = (index % 2 === 0 ? 70 : 60) + (Math.floor(index / 2) % 10);
    const subscriber = String(Math.floor(index / 20)).padStart(6, '0');
    const phone = `${prefix} ${subscriber.slice(0, 2)} ${subscriber.slice(2, 4)} ${subscriber.slice(4, 6)}`;
    const day = String(1 + Math.floor(next() * 28)).padStart(2, '0');
    const month = String(1 + Math.floor(next() * 12)).padStart(2, '0');
    const year = 1990 + Math.floor(next() * 8);
    await write(
      `ML${String(index).padStart(8, '0')};${pick(FIRST)};${pick(LAST)};${next() < 0.6 ? 'F' : 'M'};${day}/${month}/${year};` +
        `${pick(REGIONS)};${pick(SCHOOLS)};${pick(PROGRAMMES)};${2014 + Math.floor(next() * 10)};${phone};\r\n`,
    );
  }
  out.end();
  await once(out, 'finish');
}

async function startBrokerProcess(): Promise<{ address: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'libs/kafka-broker/src/cli.ts',
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        KAFKA_PORT: '0',
        KAFKA_LOG_LEVEL: 'error',
        TS_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json'),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  const address = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /KAFKA_BROKER_LISTENING (\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the broker exited with ${code}`)));
  });
  return { address, child };
}

function upload(
  url: string,
  file: string,
  token: string,
): Promise<{ status: number; body: { importId: string } }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      new URL('/api/v1/student-imports', url),
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'text/csv',
          'Content-Length': statSync(file).size,
        },
      },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(body) }));
      },
    );
    request.on('error', reject);
    createReadStream(file).pipe(request);
  });
}

interface ImportStatus {
  status: 'queued' | 'processing' | 'completed' | 'failed';
  totalRows: number;
  rowsProcessed: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  failureReason: string | null;
}

async function getImportStatus(url: string, token: string): Promise<ImportStatus> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  return (await response.json()) as ImportStatus;
}

interface RunResult {
  uploadSeconds: number;
  totalSeconds: number;
  publishedSeconds: number;
  status: ImportStatus;
  peakRss: number;
  rssAtProgress: { percent: number; rss: number }[];
  liveHeapAtProgress: { percent: number; heap: number }[];
  serviceCpuSeconds: number;
  postgresCpuSeconds: number;
}

/**
 * CPU time of the Postgres backends serving the benchmark database, read from /proc (backends name
 * their database in their process title). The pool opens and closes connections during a run, so
 * the backends are sampled every second and each one's growth since it was first seen is summed;
 * only the last moments of a backend that ends between two samples escape the count.
 */
class PostgresCpuMeter {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly database: string) {}

  start(): void {
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), 1000);
  }

  /** CPU seconds used by the backends since start(). */
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.sample(false);
    let ticks = 0;
    for (const [pid, latest] of this.last) ticks += latest - (this.first.get(pid) ?? 0);
    return ticks / 100;
  }

  private sample(initial: boolean): void {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      try {
        const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (!title.startsWith('postgres: ') || !title.includes(` ${this.database} `)) continue;
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ticks = Number(fields[11]) + Number(fields[12]);
        if (initial) this.first.set(pid, ticks);
        // A backend first seen after the start counts from zero.
        else if (!this.first.has(pid) && !this.last.has(pid)) this.first.set(pid, 0);
        this.last.set(pid, ticks);
      } catch {
        // The process ended while being read.
      }
    }
  }
}

class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout | null = null;
  start(): void {
    this.peak = process.memoryUsage().rss;
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage().rss);
    }, 100);
  }
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    return this.peak;
  }
}

async function runImport(
  url: string,
  file: string,
  token: string,
  relay: OutboxRelay,
  database: string,
): Promise<RunResult> {
  const sampler = new RssSampler();
  sampler.start();
  const cpuBefore = process.cpuUsage();
  const postgresCpu = new PostgresCpuMeter(database);
  postgresCpu.start();
  const started = performance.now();
  const accepted = await upload(url, file, token);
  if (accepted.status !== 202)
    throw new Error(`upload answered ${accepted.status}: ${JSON.stringify(accepted.body)}`);
  const uploadSeconds = (performance.now() - started) / 1000;
  const rssAtProgress: { percent: number; rss: number }[] = [];
  const liveHeapAtProgress: { percent: number; heap: number }[] = [];
  /** CPU spent on the benchmark's own forced collections, not the service's. */
  let measurementCpuMicros = 0;
  const status = await waitFor(
    async () => {
      const current = await getImportStatus(`${url}/api/v1/student-imports/${accepted.body.importId}`, token);
      const percent = Math.floor((100 * current.rowsProcessed) / Math.max(1, current.totalRows));
      if (!rssAtProgress.length || percent >= rssAtProgress[rssAtProgress.length - 1].percent + 20) {
        rssAtProgress.push({ percent, rss: process.memoryUsage().rss });
        const beforeGc = process.cpuUsage();
        collectGarbage();
        const gcCpu = process.cpuUsage(beforeGc);
        measurementCpuMicros += gcCpu.user + gcCpu.system;
        liveHeapAtProgress.push({ percent, heap: process.memoryUsage().heapUsed });
      }
      if (current.status === 'failed') throw new Error(`import failed: ${current.failureReason}`);
      return current.status === 'completed' ? current : undefined;
    },
    { timeoutMs: 600_000, intervalMs: 250, description: 'the import to complete' },
  );
  const totalSeconds = (performance.now() - started) / 1000;
  await relay.drained(600_000);
  const publishedSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const serviceCpuSeconds = (cpu.user + cpu.system - measurementCpuMicros) / 1e6;
  const postgresSeconds = postgresCpu.stop();
  return {
    serviceCpuSeconds,
    postgresCpuSeconds: postgresSeconds,
    uploadSeconds,
    totalSeconds,
    publishedSeconds,
    status,
    peakRss: sampler.stop(),
    rssAtProgress,
    liveHeapAtProgress,
  };
}

/** A full GC on demand (the npm script cannot pass --expose-gc), to measure live memory rather than garbage. */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const loadBefore = os.loadavg()[0];
  const file = path.join(os.tmpdir(), `scholarpay-import-bench-${process.pid}.csv`);
  process.stdout.write(`generating ${ROWS} rows... `);
  await generateCsv(file, ROWS);
  const size = statSync(file).size;
  process.stdout.write(`${mib(size)}\n`);

  const databaseUrl = await createTestDatabase('enrolment_bench');
  const broker = await startBrokerProcess();
  const redis = new Redis(testRedisUrl(REDIS_DB));
  for (const key of await redis.keys(`${QUEUE_PREFIX}:*`)) await redis.del(key);
  redis.disconnect();

  const service = await startEnrolmentService(
    serviceTestEnv({
      databaseUrl,
      kafkaBrokers: broker.address,
      redisUrl: testRedisUrl(REDIS_DB),
      extra: { IMPORT_QUEUE_PREFIX: QUEUE_PREFIX, LOG_LEVEL: 'error' },
    }),
    { port: 0 },
  );
  try {
    const token = await testToken('bench-programme-admin', ['programme_admin']);
    for (const code of SCHOOLS) {
      const response = await fetch(`${service.url}/api/v1/schools`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ code, name: `École de santé ${code}`, region: 'Gao', city: 'Gao' }),
      });
      if (response.status !== 201) throw new Error(`creating school ${code}: ${response.status}`);
    }
    const relay = service.app.get(OutboxRelay);
    collectGarbage();
    const baselineHeap = process.memoryUsage().heapUsed;
    const baselineRss = process.memoryUsage().rss;

    const sql = new Client({ connectionString: databaseUrl });
    await sql.connect();
    const database = new URL(databaseUrl).pathname.slice(1);
    // BENCH_CPU_PROFILE=<file.cpuprofile>: profile the first import only (open it in Chrome DevTools).
    const profile = process.env.BENCH_CPU_PROFILE;
    const session = profile ? new Session() : null;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const first = await runImport(service.url, file, token, relay, database);
    if (session && profile) {
      const { profile: recorded } = await session.post('Profiler.stop');
      writeFileSync(profile, JSON.stringify(recorded));
      session.disconnect();
    }
    console.log(
      `first upload: ${JSON.stringify({ ...first, status: undefined })} ${JSON.stringify(first.status).slice(0, 300)}`,
    );
    if (first.status.created !== ROWS)
      throw new Error(`expected ${ROWS} created, got ${first.status.created}`);
    const second = await runImport(service.url, file, token, relay, database);
    console.log(
      `second upload: ${JSON.stringify({ ...second, status: undefined })} ${JSON.stringify(second.status).slice(0, 300)}`,
    );
    if (second.status.unchanged !== ROWS)
      throw new Error(`expected ${ROWS} unchanged, got ${second.status.unchanged}`);

    const [{ events }] = (await sql.query('SELECT count(*)::int AS events FROM enrolment.outbox_events'))
      .rows as { events: number }[];
    await sql.end();

    const cpu = (run: RunResult) =>
      `${run.serviceCpuSeconds.toFixed(1)} s / ${run.postgresCpuSeconds.toFixed(1)} s`;
    const rate = (seconds: number) => Math.round(ROWS / seconds).toLocaleString('en');
    const progress = (run: RunResult) =>
      run.rssAtProgress.map((point) => `${point.percent}%: ${mib(point.rss)}`).join(', ');
    const live = (run: RunResult) =>
      run.liveHeapAtProgress.map((point) => `${point.percent}%: ${mib(point.heap)}`).join(', ');
    const body = [
      `${ROWS.toLocaleString('en')} rows (${mib(size)}: French headers, semicolons, BOM, CRLF, DD/MM/YYYY dates, every row with a phone), ` +
        `20 schools, uploaded over HTTP as a stream (\`text/csv\`) to the service running in the benchmark process; ` +
        `embedded Kafka-protocol broker in a child process; batches of 500 rows, one transaction each.`,
      '',
      '| run | upload (202) | import completed | all events published | rows/s | CPU: service / Postgres | peak RSS | RSS during the run | live heap after GC during the run |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      `| first upload: ${first.status.created.toLocaleString('en')} created | ${first.uploadSeconds.toFixed(1)} s | ${first.totalSeconds.toFixed(1)} s | ${first.publishedSeconds.toFixed(1)} s | ${rate(first.totalSeconds)} | ${cpu(first)} | ${mib(first.peakRss)} | ${progress(first)} | ${live(first)} |`,
      `| same file again: ${second.status.unchanged.toLocaleString('en')} unchanged | ${second.uploadSeconds.toFixed(1)} s | ${second.totalSeconds.toFixed(1)} s | ${second.publishedSeconds.toFixed(1)} s | ${rate(second.totalSeconds)} | ${cpu(second)} | ${mib(second.peakRss)} | ${progress(second)} | ${live(second)} |`,
      '',
      `Before the first upload: RSS ${mib(baselineRss)} (the benchmark process also holds ts-node and the TypeScript compiler), live heap ${mib(baselineHeap)}. Events in the outbox after both runs: ${events.toLocaleString('en')} ` +
        `(one student.registered per row; the second upload published none). Target: under 60 s for 100,000 rows with flat memory.`,
      '',
      `Load average of the machine (1 min) at the start and end: ${loadBefore.toFixed(1)} and ${os.loadavg()[0].toFixed(1)} ` +
        `on ${os.cpus().length} cores. Wall times stretch with other work on the machine; the CPU seconds (the service's own and ` +
        `those of the Postgres backends serving it) are what the import itself costs.`,
      '',
      'Run it with `npm run bench:import` (optionally `-- <rows>`).',
    ].join('\n');
    console.log(body);
    reportBenchResult(
      'import',
      {
        firstImportSeconds: first.totalSeconds,
        reuploadSeconds: second.totalSeconds,
        peakRssMiB: first.peakRss / 2 ** 20,
      },
      { firstImportSeconds: 's', reuploadSeconds: 's', peakRssMiB: 'MiB' },
    );
    if (ROWS === 100_000) recordBenchmark('import', 'Student CSV import', body);
  } finally {
    await service.app.close();
    broker.child.kill('SIGTERM');
    unlinkSync(file);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
