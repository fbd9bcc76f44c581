/**
 * `npm start`: the whole system on one machine, against local Postgres and Redis.
 *
 *   1. checks Postgres (DATABASE_URL) and Redis (REDIS_URL) answer, and says how to start them if not;
 *   2. creates the database if it is missing;
 *   3. generates development secrets under .data/ (JWT secret, mock-provider credentials) unless set;
 *   4. starts the embedded Kafka-protocol broker (data in .data/kafka) unless KAFKA_BROKERS names a cluster;
 *   5. starts the five services, each as its own process, migrating its schema on boot;
 *   6. prints their URLs and how to get a development token;
 *   7. restarts a service that crashes (with backoff), and on Ctrl-C stops the services, then the broker.
 *
 * Options (after `npm start --`):
 *   --only <app,app>   start only these services (e.g. `--only payments,mobile-money`)
 *   --json-logs        print the services' JSON log lines as they are (also LOG_FORMAT=json)
 * Ports: <APP>_PORT (ENROLMENT_PORT=3001, ELIGIBILITY_PORT=3002, PAYMENTS_PORT=3003, EXAMS_PORT=3004,
 * MOBILE_MONEY_PORT=3005), KAFKA_PORT=9092 for the embedded broker. Payments gets MOBILE_MONEY_BASE_URL
 * (the provider) and PAYMENTS_PUBLIC_URL (its callback address) pointing at the local processes.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDatabaseExists, redactUrl } from '@scholarpay/database';
import { DATA_DIR, jwtSecret, providerCredentials, REPO_ROOT } from './lib/dev-secrets';
import { formatLogLine, paint, type LineFormat } from './lib/log-format';
import { describeExit, ExitInfo, ManagedProcess, restartDelayMs } from './lib/managed-process';
import { checkPostgres, checkRedis, ownsListeningPort, portIsFree } from './lib/prerequisites';

interface ServiceDefinition {
  app: string;
  port: number;
  /** Where its REST API lives: /api/v1, or the root for the mock provider (it mimics an outside API). */
  apiPrefix: string;
  summary: string;
}

export const SERVICES: ServiceDefinition[] = [
  { app: 'enrolment', port: 3001, apiPrefix: '/api/v1', summary: 'schools, students, CSV imports' },
  { app: 'eligibility', port: 3002, apiPrefix: '/api/v1', summary: 'programmes, rules, awards' },
  { app: 'payments', port: 3003, apiPrefix: '/api/v1', summary: 'payout batches, ledger, reconciliation' },
  { app: 'exams', port: 3004, apiPrefix: '/api/v1', summary: 'exam results, evaluation' },
  { app: 'mobile-money', port: 3005, apiPrefix: '', summary: 'mock mobile-money provider' },
];

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/scholarpay';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** ts-node on two cores with five services booting at once is slow; migrations add more. */
const READY_TIMEOUT_MS = 180_000;
const BROKER_TIMEOUT_MS = 60_000;
/** A service up this long is considered healthy again: the next crash restarts after 1 s. */
const STABLE_AFTER_MS = 60_000;

const env = process.env;
const colour = process.stdout.isTTY === true && !env.NO_COLOR;
const NAME_WIDTH = Math.max('kafka'.length, ...SERVICES.map((service) => service.app.length));

function say(text: string): void {
  for (const line of text.split('\n'))
    process.stdout.write(
      `${paint(colour, 1, 'start'.padEnd(NAME_WIDTH))} ${paint(colour, 1, '|')} ${line}\n`,
    );
}
function warn(text: string): void {
  say(paint(colour, 33, text));
}
function fail(text: string): void {
  say(paint(colour, 31, text));
}

class StartupError extends Error {}

/** A managed process plus its restart policy and readiness check. */
class Supervised {
  readonly process: ManagedProcess;
  everReady = false;
  private attempts = 0;
  private startedAt = 0;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly name: string,
    entry: string,
    processEnv: NodeJS.ProcessEnv,
    private readonly waitReady: (exit: Promise<ExitInfo>, pid: number | undefined) => Promise<void>,
    format: LineFormat,
    onLine?: (line: string) => void,
  ) {
    this.process = new ManagedProcess({
      name,
      entry,
      env: processEnv,
      onLine: (line) => {
        onLine?.(line);
        process.stdout.write(`${formatLogLine(name, line, format)}\n`);
      },
    });
  }

  /** Starts the process and resolves once it is ready; rejects if it exits or never gets ready. */
  async launch(): Promise<void> {
    const exit = this.process.start();
    this.startedAt = Date.now();
    void exit.then((info) => this.exited(info));
    try {
      await this.waitReady(exit, this.process.pid);
    } catch (error) {
      this.process.kill();
      throw error;
    }
    this.everReady = true;
  }

  cancelRestart(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }

  private exited(info: ExitInfo): void {
    // A failure during the first start is reported by launch(); a stop we asked for is no crash.
    if (shuttingDown || !this.everReady) return;
    if (Date.now() - this.startedAt > STABLE_AFTER_MS) this.attempts = 0;
    this.attempts += 1;
    const delay = restartDelayMs(this.attempts);
    fail(
      `✖ ${this.name} crashed: it ${describeExit(info)}. Restarting in ${delay / 1000} s (restart ${this.attempts}).`,
    );
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (shuttingDown) return;
      this.launch().then(
        () => say(paint(colour, 32, `✔ ${this.name} is back up after restart ${this.attempts}`)),
        (error: Error) => fail(`✖ ${this.name} did not come back: ${error.message}`),
      );
    }, delay);
  }
}

let shuttingDown = false;
const services: Supervised[] = [];
let broker: Supervised | null = null;

async function shutdown(reason: string, exitCode: number): Promise<never> {
  if (shuttingDown) {
    warn('Stopping now: killing everything.');
    for (const entry of [...services, ...(broker ? [broker] : [])]) entry.process.kill();
    process.exit(1);
  }
  shuttingDown = true;
  const started = [...services, ...(broker ? [broker] : [])].some((entry) => entry.process.pid !== undefined);
  if (!started) process.exit(exitCode);
  say(
    `${reason}: stopping the services${broker ? ', then the Kafka broker' : ''} (Ctrl-C again to kill at once)…`,
  );
  for (const entry of [...services, ...(broker ? [broker] : [])]) entry.cancelRestart();
  await Promise.all(
    services.map(async (service) => {
      const wasRunning = service.process.running;
      const exit = await service.process.stop(15_000);
      if (wasRunning && exit) say(`${service.name} stopped${stopNote(exit)}`);
    }),
  );
  if (broker) {
    const wasRunning = broker.process.running;
    const exit = await broker.process.stop(10_000);
    if (wasRunning && exit) say(`kafka broker stopped${stopNote(exit)}`);
  }
  say(exitCode === 0 ? 'Everything stopped. Bye.' : 'Everything stopped.');
  process.exit(exitCode);
}

/** Nothing to say for a clean stop (exit 0, or the SIGTERM we sent re-raised by Nest). */
function stopNote(exit: ExitInfo): string {
  if (exit.signal === 'SIGKILL') return ' (killed)';
  return exit.code ? ` (exit code ${exit.code})` : '';
}

function onSignal(signal: NodeJS.Signals): void {
  shutdown(signal, 0).catch((error: unknown) => {
    fail(`could not stop cleanly: ${String(error)}`);
    process.exit(1);
  });
}

function portVariable(app: string): string {
  return `${app.toUpperCase().replace(/-/g, '_')}_PORT`;
}

function portOf(service: ServiceDefinition): number {
  const raw = env[portVariable(service.app)];
  if (raw === undefined || raw === '') return service.port;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new StartupError(`${portVariable(service.app)} must be a port number (1-65535), got "${raw}"`);
  }
  return port;
}

async function waitForHttp(
  url: string,
  port: number,
  exit: Promise<ExitInfo>,
  pid: number | undefined,
): Promise<void> {
  let exitedWith: ExitInfo | null = null;
  void exit.then((info) => {
    exitedWith = info;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitedWith) {
      throw new StartupError(`it ${describeExit(exitedWith)} before it was ready (its output is above)`);
    }
    if (shuttingDown) throw new StartupError('stopped while starting');
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => null);
    // The answer must come from our process, not from another program that took the port meanwhile.
    if (response?.ok && (pid === undefined || ownsListeningPort(pid, port) !== false)) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new StartupError(`it did not answer ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}

async function readiness(baseUrl: string): Promise<string> {
  try {
    const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(5000) });
    const report = (await response.json()) as {
      status?: string;
      checks?: Record<string, { status: string }>;
    };
    if (report.status === 'ok') return 'ready';
    const down = Object.entries(report.checks ?? {})
      .filter(([, check]) => check.status !== 'up')
      .map(([name]) => name);
    return `not ready (${down.join(', ') || response.status} down)`;
  } catch {
    return 'not ready (no answer from /health)';
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      only: { type: 'string' },
      'json-logs': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm start [-- --only <app,app>] [-- --json-logs]\n' +
        `apps: ${SERVICES.map((service) => service.app).join(', ')}\n`,
    );
    return;
  }
  const format: LineFormat = {
    nameWidth: NAME_WIDTH,
    colour,
    json: values['json-logs'] === true || env.LOG_FORMAT === 'json',
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  // Whatever happens to this process, no child is left running behind it.
  process.on('exit', () => {
    for (const entry of [...services, ...(broker ? [broker] : [])]) entry.process.kill();
  });

  // Which services.
  let wanted = SERVICES;
  if (values.only) {
    const names = values.only
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const unknown = names.filter((name) => !SERVICES.some((service) => service.app === name));
    if (unknown.length > 0) {
      throw new StartupError(
        `--only: unknown app ${unknown.join(', ')}; apps: ${SERVICES.map((s) => s.app).join(', ')}`,
      );
    }
    wanted = SERVICES.filter((service) => names.includes(service.app));
  }
  const present = wanted.filter((service) =>
    existsSync(path.join(REPO_ROOT, 'apps', service.app, 'src', 'main.ts')),
  );
  for (const service of wanted.filter((candidate) => !present.includes(candidate))) {
    warn(`⚠ ⚠ ⚠  apps/${service.app}/src/main.ts does not exist yet: ${service.app} is NOT started.  ⚠ ⚠ ⚠`);
  }
  if (present.length === 0) throw new StartupError('no service to start');
  const ports = new Map(present.map((service) => [service.app, portOf(service)]));

  // Mode and secrets.
  const nodeEnv = env.NODE_ENV || 'development';
  const production = nodeEnv === 'production';
  const databaseUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const redisUrl = env.REDIS_URL || DEFAULT_REDIS_URL;
  if (production && !env.JWT_SECRET && !env.JWT_JWKS_URL) {
    throw new StartupError(
      'NODE_ENV=production: set JWT_SECRET or JWT_JWKS_URL. npm start generates secrets for development only.',
    );
  }
  const needsProvider = present.some(
    (service) => service.app === 'payments' || service.app === 'mobile-money',
  );
  if (production && needsProvider) {
    const missing = [
      'MOBILE_MONEY_CLIENT_ID',
      'MOBILE_MONEY_CLIENT_SECRET',
      'MOBILE_MONEY_CALLBACK_SECRET',
    ].filter((name) => !env[name]);
    if (missing.length > 0) throw new StartupError(`NODE_ENV=production: set ${missing.join(', ')}`);
  }

  // Postgres and Redis must answer before anything starts.
  say(`Checking PostgreSQL (${redactUrl(databaseUrl)}) and Redis (${redactUrl(redisUrl)})…`);
  const problems = (await Promise.all([checkPostgres(databaseUrl), checkRedis(redisUrl)])).filter(
    (problem): problem is string => problem !== null,
  );
  if (problems.length > 0) throw new StartupError(problems.join('\n'));

  // Ports, before we start anything that would fail on them.
  const kafkaBrokersFromEnv = env.KAFKA_BROKERS?.trim() || null;
  const kafkaPort = Number(env.KAFKA_PORT || 9092);
  const busy: string[] = [];
  for (const service of present) {
    const port = ports.get(service.app)!;
    if (!(await portIsFree(port)))
      busy.push(`port ${port} (${service.app}; set ${portVariable(service.app)} to use another)`);
  }
  if (!kafkaBrokersFromEnv && !(await portIsFree(kafkaPort))) {
    busy.push(`port ${kafkaPort} (Kafka broker; set KAFKA_PORT, or KAFKA_BROKERS to use a running broker)`);
  }
  if (busy.length > 0) {
    throw new StartupError(`already in use: ${busy.join('; ')}.\nIs another \`npm start\` running?`);
  }

  try {
    await ensureDatabaseExists(databaseUrl);
  } catch (error) {
    throw new StartupError(
      `could not create the database in ${redactUrl(databaseUrl)}: ${(error as Error).message}`,
    );
  }

  mkdirSync(DATA_DIR, { recursive: true, mode: 0o700 });
  const jwt = env.JWT_JWKS_URL && !env.JWT_SECRET ? null : jwtSecret(env);
  if (jwt && !env.JWT_SECRET)
    say(`Development JWT secret: ${path.relative(process.cwd(), path.join(DATA_DIR, 'jwt-secret'))}`);
  const provider = needsProvider ? providerCredentials(env) : null;

  // The broker.
  let kafkaBrokers: string;
  if (kafkaBrokersFromEnv) {
    kafkaBrokers = kafkaBrokersFromEnv;
    say(`Using the Kafka cluster in KAFKA_BROKERS=${kafkaBrokers} (no embedded broker).`);
  } else {
    const dataDir = path.join(DATA_DIR, 'kafka');
    mkdirSync(dataDir, { recursive: true });
    let announce: ((address: string) => void) | null = null;
    let listening: string | null = null;
    broker = new Supervised(
      'kafka',
      'libs/kafka-broker/src/cli.ts',
      { ...env, KAFKA_PORT: String(kafkaPort), KAFKA_HOST: '127.0.0.1', KAFKA_DATA_DIR: dataDir },
      (exit) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () =>
              reject(new StartupError(`the Kafka broker did not start within ${BROKER_TIMEOUT_MS / 1000} s`)),
            BROKER_TIMEOUT_MS,
          );
          announce = (address) => {
            clearTimeout(timer);
            listening = address;
            resolve();
          };
          void exit.then((info) => {
            clearTimeout(timer);
            reject(new StartupError(`the Kafka broker ${describeExit(info)} (its output is above)`));
          });
        }),
      format,
      (line) => {
        const match = /^KAFKA_BROKER_LISTENING (\S+)/.exec(line);
        if (match) announce?.(match[1]);
      },
    );
    say(`Starting the embedded Kafka broker (data in ${path.relative(process.cwd(), dataDir)})…`);
    await broker.launch();
    kafkaBrokers = listening ?? `127.0.0.1:${kafkaPort}`;
    say(`Kafka broker listening on ${kafkaBrokers}`);
  }

  // The services.
  const host = env.HOST || '127.0.0.1';
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const baseUrl = (app: string) => `http://${urlHost}:${ports.get(app)}`;
  const mobileMoneyPort = ports.get('mobile-money') ?? Number(env[portVariable('mobile-money')] || 3005);
  const sharedEnv: NodeJS.ProcessEnv = {
    ...env,
    NODE_ENV: nodeEnv,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    KAFKA_BROKERS: kafkaBrokers,
    MIGRATE_ON_BOOT: 'true',
    KAFKAJS_NO_PARTITIONER_WARNING: env.KAFKAJS_NO_PARTITIONER_WARNING ?? '1',
    ...(jwt ? { JWT_SECRET: jwt.value } : {}),
  };
  const specificEnv = (app: string): NodeJS.ProcessEnv => {
    if (app === 'payments') {
      return {
        ...provider,
        // Where payments calls the provider, and where the provider calls payments back.
        MOBILE_MONEY_BASE_URL: env.MOBILE_MONEY_BASE_URL || `http://127.0.0.1:${mobileMoneyPort}`,
        PAYMENTS_PUBLIC_URL: env.PAYMENTS_PUBLIC_URL || baseUrl('payments'),
      };
    }
    if (app === 'mobile-money') return { ...provider };
    return {};
  };
  say(`Starting ${present.map((service) => service.app).join(', ')} (each migrates its schema on boot)…`);
  for (const service of present) {
    const url = baseUrl(service.app);
    services.push(
      new Supervised(
        service.app,
        `apps/${service.app}/src/main.ts`,
        { ...sharedEnv, ...specificEnv(service.app), PORT: String(ports.get(service.app)) },
        (exit, pid) => waitForHttp(`${url}/health/live`, ports.get(service.app)!, exit, pid),
        format,
      ),
    );
  }
  const results = await Promise.allSettled(services.map((service) => service.launch()));
  const failures = results.flatMap((result, index) =>
    result.status === 'rejected' ? [`${services[index].name}: ${(result.reason as Error).message}`] : [],
  );
  if (shuttingDown) return;
  if (failures.length > 0) {
    fail(`✖ ${failures.length === 1 ? 'A service' : 'Services'} failed to start:`);
    for (const failure of failures) fail(`  - ${failure}`);
    await shutdown('startup failed', 1);
  }

  // The map.
  const states = await Promise.all(present.map((service) => readiness(baseUrl(service.app))));
  const rows = present.map((service, index) => {
    const base = baseUrl(service.app);
    return [
      service.app,
      `${base}${service.apiPrefix || '/'}`,
      `${base}/docs`,
      `${base}/health`,
      `${base}/metrics`,
      states[index],
    ];
  });
  const header = ['service', 'API', 'OpenAPI', 'health', 'metrics', 'status'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const render = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  say('');
  say(paint(colour, 32, `ScholarPay is running (${nodeEnv}).`));
  say('');
  say(paint(colour, 1, render(header)));
  for (const row of rows) say(render(row));
  say('');
  say(
    `Kafka:      ${kafkaBrokers}${broker ? ` (embedded broker, data in ${path.relative(process.cwd(), path.join(DATA_DIR, 'kafka'))})` : ''}`,
  );
  say(`PostgreSQL: ${redactUrl(databaseUrl)}    Redis: ${redactUrl(redisUrl)}`);
  say('');
  if (jwt) {
    say(
      'Get a development token (roles: programme_admin, school_admin, finance_preparer, finance_approver, evaluator, auditor):',
    );
    say('  npm run token -- --sub amadou --role finance_approver');
    const example = present.find((service) => service.apiPrefix) ?? present[0];
    say('  TOKEN=$(npm run -s token -- --sub amadou --role finance_approver)');
    say(
      `  curl -H "Authorization: Bearer $TOKEN" ${baseUrl(example.app)}${example.apiPrefix}/…   (or paste it into "Authorize" at ${baseUrl(example.app)}/docs)`,
    );
  } else {
    say('Tokens are verified with JWT_JWKS_URL: get one from your identity provider.');
  }
  say('');
  say('Press Ctrl-C to stop everything.');
}

main().catch(async (error: unknown) => {
  if (shuttingDown) return;
  if (error instanceof StartupError) {
    fail(error.message);
  } else {
    fail(`npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  await shutdown('startup failed', 1);
});
