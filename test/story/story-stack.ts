/**
 * The whole system for an end-to-end story test: the embedded Kafka-protocol broker and the five
 * services, each its own OS process (as `npm start` runs them), on one test database (each service
 * in its own schema) and one Redis database. Provider timings are shortened so payouts resolve in
 * seconds rather than minutes; the rules are the production ones.
 */
import {
  BrokerProcess,
  createTestDatabase,
  freePort,
  serviceTestEnv,
  ServiceProcess,
  startBrokerProcess,
  startServiceProcess,
  TEST_JWT_SECRET,
  testRedisUrl,
} from '@scholarpay/testing';
import Redis from 'ioredis';
import type { ServiceUrls } from './gao-story';

export const STORY_APPS = ['enrolment', 'eligibility', 'payments', 'exams', 'mobile-money'] as const;
export type StoryApp = (typeof STORY_APPS)[number];

export const STORY_PROVIDER = {
  clientId: 'scholarpay-story-merchant',
  clientSecret: 'story-merchant-secret-0123456789',
  callbackSecret: 'story-callback-secret-0123456789',
};

/** Payments gives up on a provider answer after this long; injected "timeouts" hang longer. */
export const STORY_PROVIDER_TIMEOUT_MS = 2000;

export interface StoryStack {
  urls: ServiceUrls;
  jwtSecret: string;
  provider: { clientId: string; clientSecret: string };
  databaseUrl: string;
  processes: Map<StoryApp, ServiceProcess>;
  /** kill -9 one service (no shutdown hooks, no goodbye to Kafka). */
  crash(app: StoryApp): Promise<void>;
  /** Starts a service again on its port, with the same environment. */
  restart(app: StoryApp): Promise<void>;
  isRunning(app: StoryApp): boolean;
  stop(): Promise<void>;
}

async function flushRedis(db: number): Promise<void> {
  const redis = new Redis(testRedisUrl(db), { maxRetriesPerRequest: 2 });
  try {
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}

/**
 * SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. (ServiceProcess.stop
 * leaves its 10 s grace timer running, which keeps Jest from exiting promptly.)
 */
async function stopProcess(service: ServiceProcess, graceMs = 10_000): Promise<void> {
  const child = service.child;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
}

async function startWithRetries(
  app: StoryApp,
  env: Record<string, string>,
  port: number,
  attempts = 3,
): Promise<ServiceProcess> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startServiceProcess(app, env, port);
    } catch (error) {
      if (attempt >= attempts || !/timed out/.test((error as Error).message)) throw error;
    }
  }
}

export async function startStoryStack(input: {
  database: string;
  redisDb: number;
  /** Faults the provider boots with (MOBILE_MONEY_FAULTS), e.g. so they survive its restarts. */
  providerFaultsAtBoot?: unknown;
}): Promise<StoryStack> {
  await flushRedis(input.redisDb);
  const broker: BrokerProcess = await startBrokerProcess();
  const processes = new Map<StoryApp, ServiceProcess>();
  try {
    const databaseUrl = await createTestDatabase(input.database);
    const ports = new Map<StoryApp, number>();
    for (const app of STORY_APPS) ports.set(app, await freePort());
    const providerUrl = `http://127.0.0.1:${ports.get('mobile-money')}`;
    const credentials = {
      MOBILE_MONEY_CLIENT_ID: STORY_PROVIDER.clientId,
      MOBILE_MONEY_CLIENT_SECRET: STORY_PROVIDER.clientSecret,
      MOBILE_MONEY_CALLBACK_SECRET: STORY_PROVIDER.callbackSecret,
    };
    const extra: Record<StoryApp, Record<string, string>> = {
      enrolment: {},
      eligibility: { REEVALUATION_LOCK_MS: '5000' },
      exams: {},
      'mobile-money': {
        ...credentials,
        MOBILE_MONEY_CALLBACK_BACKOFF_MS: '200',
        MOBILE_MONEY_CALLBACK_TIMEOUT_MS: '2000',
        ...(input.providerFaultsAtBoot
          ? { MOBILE_MONEY_FAULTS: JSON.stringify(input.providerFaultsAtBoot) }
          : {}),
      },
      payments: {
        ...credentials,
        MOBILE_MONEY_BASE_URL: providerUrl,
        PAYMENTS_PROVIDER_TIMEOUT_MS: String(STORY_PROVIDER_TIMEOUT_MS),
        PAYMENTS_STATUS_CHECK_AFTER_MS: '1500',
        PAYMENTS_UNKNOWN_RECHECK_MS: '300',
        PAYMENTS_MAX_RECHECK_DELAY_MS: '3000',
        PAYMENTS_RESEND_DELAY_MS: '4000',
        PAYMENTS_POLL_INTERVAL_MS: '1000',
        PAYMENTS_SEND_GRACE_MS: '5000',
        PAYMENTS_JOB_LOCK_MS: '5000',
      },
    };
    const envOf = (app: StoryApp) =>
      serviceTestEnv({
        databaseUrl,
        kafkaBrokers: broker.address,
        redisUrl: testRedisUrl(input.redisDb),
        extra: extra[app],
      });
    // Five ts-node processes migrating five schemas at once can starve a two-core machine past the
    // start-up limit of startServiceProcess: two at a time, and a slow start is tried again.
    const queue = [...STORY_APPS];
    await Promise.all(
      [0, 1].map(async () => {
        for (let app = queue.shift(); app; app = queue.shift()) {
          processes.set(app, await startWithRetries(app, envOf(app), ports.get(app)!));
        }
      }),
    );

    const url = (app: StoryApp) => `http://127.0.0.1:${ports.get(app)}`;
    const stack: StoryStack = {
      urls: {
        enrolment: url('enrolment'),
        eligibility: url('eligibility'),
        payments: url('payments'),
        exams: url('exams'),
        mobileMoney: url('mobile-money'),
      },
      jwtSecret: TEST_JWT_SECRET,
      provider: { clientId: STORY_PROVIDER.clientId, clientSecret: STORY_PROVIDER.clientSecret },
      databaseUrl,
      processes,
      crash: async (app) => {
        await processes.get(app)?.crash();
      },
      restart: async (app) => {
        const current = processes.get(app);
        if (current) await stopProcess(current);
        processes.set(app, await startWithRetries(app, envOf(app), ports.get(app)!));
      },
      isRunning: (app) => {
        const child = processes.get(app)?.child;
        return child !== undefined && child.exitCode === null && child.signalCode === null;
      },
      stop: async () => {
        await Promise.all([...processes.values()].map((service) => stopProcess(service)));
        await broker.stop();
      },
    };
    return stack;
  } catch (error) {
    await Promise.all([...processes.values()].map((service) => stopProcess(service).catch(() => undefined)));
    await broker.stop();
    throw error;
  }
}
