import { randomUUID } from 'node:crypto';
import type { Role } from '@scholarpay/auth';
import { AwardSnapshot, buildEnvelope, EventTypes, ProgrammeSnapshot, StudentSnapshot, Topics } from '@scholarpay/contracts';
import { bearer, createTestDatabase, freePort, serviceTestEnv, startServiceProcess, ServiceProcess, testRedisUrl } from '@scholarpay/testing';
import Redis from 'ioredis';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { Client } from 'pg';

export const CLIENT_ID = 'scholarpay-payments-tests';
export const CLIENT_SECRET = 'payments-test-client-secret-0123';
export const CALLBACK_SECRET = 'payments-test-callback-secret-0123';

/** Orange Mali numbers, distinct per index. */
export const msisdn = (n: number): string => `+2237${String(n).padStart(7, '0')}`;

export interface Answer<T = any> {
  status: number;
  body: T;
}

async function call<T = any>(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<Answer<T>> {
  const response = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed as T };
}

/** Empties one of payments' test Redis databases (6-8) so a file starts with no queued jobs. */
export async function flushRedis(db: number): Promise<void> {
  const redis = new Redis(testRedisUrl(db), { maxRetriesPerRequest: 2 });
  try {
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}

/**
 * The mock mobile-money provider as its own process (apps are not imported across), with its own
 * database and the credentials payments uses; plus the admin calls tests need.
 */
export class ProviderHandle {
  private token: string | null = null;

  private constructor(
    readonly process: ServiceProcess,
    readonly env: Record<string, string>,
    readonly port: number,
  ) {}

  get url(): string {
    return this.process.url;
  }

  static async start(name: string, redisDb: number, extra: Record<string, string> = {}): Promise<ProviderHandle> {
    const env = serviceTestEnv({
      databaseUrl: await createTestDatabase(`payments_${name}_provider`),
      kafkaBrokers: '127.0.0.1:1',
      redisUrl: testRedisUrl(redisDb),
      extra: {
        MOBILE_MONEY_CLIENT_ID: CLIENT_ID,
        MOBILE_MONEY_CLIENT_SECRET: CLIENT_SECRET,
        MOBILE_MONEY_CALLBACK_SECRET: CALLBACK_SECRET,
        MOBILE_MONEY_PROCESSING_DELAY_MS: '30',
        MOBILE_MONEY_CALLBACK_BACKOFF_MS: '100',
        MOBILE_MONEY_CALLBACK_TIMEOUT_MS: '2000',
        ...extra,
      },
    });
    const port = await freePort();
    return new ProviderHandle(await startServiceProcess('mobile-money', env, port), env, port);
  }

  async restart(): Promise<void> {
    await this.process.stop();
    (this as { process: ServiceProcess }).process = await startServiceProcess('mobile-money', this.env, this.port);
    this.token = null;
  }

  async stop(): Promise<void> {
    await this.process.stop();
  }

  /** A call with a bearer token, renewed when refused (tests may run the provider with very short token lifetimes). */
  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    for (let attempt = 1; ; attempt++) {
      this.token ??= await this.issueToken();
      const answer = await call<T>(`${this.url}${path}`, method, { ...headers, authorization: `Bearer ${this.token}` }, body);
      if (answer.status !== 401 || attempt === 3) return answer;
      this.token = null;
    }
  }

  /** A cash-in made directly at the provider (not by payments). */
  async cashin(referenceId: string, number: string, amount: number): Promise<Answer> {
    return this.request(
      'POST',
      '/cashins',
      { customer: { idType: 'MSISDN', id: number }, amount: { value: amount, unit: 'XOF' }, reference: 'manual', description: 'manual transfer' },
      { 'x-reference-id': referenceId },
    );
  }

  /** Requests the provider has answered on a route pattern (its Prometheus histogram's count). */
  async requestsServed(route: string): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith('http_request_duration_seconds_count{') && line.includes(`route="${route}"`))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  }

  async setFaults(config: unknown): Promise<void> {
    const answer = await this.request('PUT', '/admin/faults', config);
    if (answer.status !== 200) throw new Error(`PUT /admin/faults: ${answer.status} ${JSON.stringify(answer.body)}`);
  }

  async clearFaults(): Promise<void> {
    const answer = await this.request('DELETE', '/admin/faults');
    if (answer.status >= 300) throw new Error(`DELETE /admin/faults: ${answer.status} ${JSON.stringify(answer.body)}`);
  }

  async upsertSubscriber(number: string, kycLevel: 1 | 2 | 3, blocked = false): Promise<void> {
    const answer = await this.request('POST', '/admin/subscribers', { msisdn: number, kycLevel, blocked });
    if (answer.status >= 300) throw new Error(`POST /admin/subscribers: ${answer.status} ${JSON.stringify(answer.body)}`);
  }

  async subscriber(number: string): Promise<{ balance: { value: number } } | null> {
    const answer = await this.request('GET', `/admin/subscribers/${encodeURIComponent(number)}`);
    return answer.status === 200 ? answer.body : null;
  }

  async smsTo(number: string): Promise<{ message: string; reference: string | null }[]> {
    const answer = await this.request('GET', `/sms/outbound?to=${encodeURIComponent(number)}`);
    return answer.body.items;
  }

  /** The whole statement (every page). */
  async statement(from = '2000-01-01T00:00:00Z', to = '2100-01-01T00:00:00Z'): Promise<any[]> {
    const items: any[] = [];
    let cursor: string | null = null;
    do {
      const query: string = new URLSearchParams({ from, to, limit: '1000', ...(cursor ? { cursor } : {}) }).toString();
      const answer: Answer = await this.request('GET', `/transactions?${query}`);
      if (answer.status !== 200) throw new Error(`GET /transactions: ${answer.status} ${JSON.stringify(answer.body)}`);
      items.push(...answer.body.items);
      cursor = answer.body.nextCursor;
    } while (cursor);
    return items;
  }

  private async issueToken(): Promise<string> {
    // The token endpoint is subject to the provider's injected faults: try a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.issueTokenOnce();
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
      }
    }
  }

  private async issueTokenOnce(): Promise<string> {
    const answer = await call(
      `${this.url}/oauth/v3/token`,
      'POST',
      {
        authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      'grant_type=client_credentials',
    );
    if (answer.status !== 200) throw new Error(`token: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.access_token;
  }
}

/** The environment payments runs with in tests: fast polls and re-checks so faults resolve in seconds. */
export function paymentsEnv(input: {
  databaseUrl: string;
  kafkaBrokers: string;
  redisDb: number;
  providerUrl: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  return serviceTestEnv({
    databaseUrl: input.databaseUrl,
    kafkaBrokers: input.kafkaBrokers,
    redisUrl: testRedisUrl(input.redisDb),
    extra: {
      MOBILE_MONEY_BASE_URL: input.providerUrl,
      MOBILE_MONEY_CLIENT_ID: CLIENT_ID,
      MOBILE_MONEY_CLIENT_SECRET: CLIENT_SECRET,
      MOBILE_MONEY_CALLBACK_SECRET: CALLBACK_SECRET,
      PAYMENTS_PROVIDER_RATE_PER_SECOND: '0',
      PAYMENTS_PROVIDER_TIMEOUT_MS: '2000',
      PAYMENTS_DISBURSEMENT_CONCURRENCY: '16',
      PAYMENTS_STATUS_CHECK_AFTER_MS: '1500',
      PAYMENTS_UNKNOWN_RECHECK_MS: '200',
      PAYMENTS_MAX_RECHECK_DELAY_MS: '2000',
      PAYMENTS_RESEND_DELAY_MS: '1000',
      PAYMENTS_POLL_INTERVAL_MS: '500',
      PAYMENTS_SEND_GRACE_MS: '5000',
      PAYMENTS_JOB_LOCK_MS: '3000',
      ...input.extra,
    },
  });
}

/** Calls payments' API as a given user. */
export class PaymentsApi {
  constructor(public baseUrl: string) {}

  async as<T = any>(user: { sub: string; roles: Role[] } | null, method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const headers: Record<string, string> = user ? await bearer(user.sub, user.roles) : {};
    return call<T>(`${this.baseUrl}/api/v1${path}`, method, headers, body);
  }
}

export const users = {
  preparer: { sub: 'awa.preparer', roles: ['finance_preparer'] as Role[] },
  preparer2: { sub: 'bakary.preparer', roles: ['finance_preparer'] as Role[] },
  approver: { sub: 'djeneba.approver', roles: ['finance_approver'] as Role[] },
  approver2: { sub: 'oumou.approver', roles: ['finance_approver'] as Role[] },
  /** Holds both roles: may prepare, may approve, but never a batch she prepared. */
  both: { sub: 'fanta.both', roles: ['finance_preparer', 'finance_approver'] as Role[] },
  auditor: { sub: 'ibrahim.auditor', roles: ['auditor'] as Role[] },
  schoolAdmin: { sub: 'karim.school', roles: ['school_admin'] as Role[] },
};

export function programmeSnapshot(overrides: Partial<ProgrammeSnapshot> = {}): ProgrammeSnapshot {
  return {
    programmeId: randomUUID(),
    version: 1,
    code: 'GAO-NURSING-2015',
    name: 'Bourses infirmières Gao 2014-15',
    monthlyStipend: 25000,
    firstMonth: '2014-10',
    lastMonth: '2015-06',
    budget: 100_000_000,
    maxAwards: null,
    ...overrides,
  };
}

export function awardSnapshot(programme: ProgrammeSnapshot, studentId: string, overrides: Partial<AwardSnapshot> = {}): AwardSnapshot {
  return {
    awardId: randomUUID(),
    version: 1,
    programmeId: programme.programmeId,
    programmeCode: programme.code,
    studentId,
    monthlyStipend: programme.monthlyStipend,
    firstMonth: programme.firstMonth,
    lastMonth: programme.lastMonth,
    status: 'active',
    awardedAt: '2014-09-20T09:00:00.000Z',
    ...overrides,
  };
}

export function studentSnapshot(studentId: string, overrides: Partial<StudentSnapshot> = {}): StudentSnapshot {
  return {
    studentId,
    version: 1,
    nationalId: `ML${studentId.slice(0, 8)}`,
    firstName: 'Aminata',
    lastName: 'Maïga',
    sex: 'F',
    dateOfBirth: '1995-04-12',
    regionOfOrigin: 'Gao',
    schoolId: '9d3c8e1a-0f5b-4c7e-8a21-6b4f2d9e7c10',
    schoolCode: 'ESS-GAO',
    programmeOfStudy: 'nursing',
    intakeYear: 2014,
    phone: msisdn(1),
    operator: 'orange',
    status: 'enrolled',
    enrolledAt: '2014-09-01T08:00:00.000Z',
    ...overrides,
  };
}

/** Publishes contract-valid events, as eligibility and enrolment would. */
export class EventPublisher {
  private producer: Producer;

  private constructor(private readonly kafka: Kafka) {
    this.producer = kafka.producer({ allowAutoTopicCreation: true });
  }

  static async connect(brokers: string): Promise<EventPublisher> {
    const publisher = new EventPublisher(new Kafka({ clientId: 'payments-tests', brokers: [brokers], logLevel: logLevel.NOTHING }));
    await publisher.producer.connect();
    return publisher;
  }

  async programmeDefined(programme: ProgrammeSnapshot): Promise<void> {
    await this.send(Topics.programmeEvents, programme.programmeId, EventTypes.programmeDefined, { programme });
  }

  async award(type: 'awarded' | 'suspended' | 'revoked' | 'reinstated', award: AwardSnapshot): Promise<void> {
    const types = {
      awarded: EventTypes.scholarshipAwarded,
      suspended: EventTypes.scholarshipSuspended,
      revoked: EventTypes.scholarshipRevoked,
      reinstated: EventTypes.scholarshipReinstated,
    };
    await this.sendMany(Topics.awardEvents, [{ key: award.studentId, type: types[type], data: { award, reason: `scholarship ${type}`, changedBy: 'eligibility' } }]);
  }

  async awards(awards: AwardSnapshot[]): Promise<void> {
    await this.sendMany(
      Topics.awardEvents,
      awards.map((award) => ({ key: award.studentId, type: EventTypes.scholarshipAwarded, data: { award, reason: 'eligible', changedBy: 'eligibility' } })),
    );
  }

  async students(students: StudentSnapshot[], type: 'registered' | 'updated' = 'registered'): Promise<void> {
    await this.sendMany(
      Topics.studentEvents,
      students.map((student) => ({
        key: student.studentId,
        type: type === 'registered' ? EventTypes.studentRegistered : EventTypes.studentUpdated,
        data: type === 'registered' ? { student } : { student, changes: { phone: { from: null, to: student.phone } }, changedBy: 'school-admin' },
      })),
    );
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }

  private async send(topic: string, key: string, type: string, data: unknown): Promise<void> {
    await this.sendMany(topic, [{ key, type, data }]);
  }

  private async sendMany(topic: string, messages: { key: string; type: string; data: unknown }[]): Promise<void> {
    for (let start = 0; start < messages.length; start += 500) {
      await this.producer.send({
        topic,
        acks: -1,
        messages: messages.slice(start, start + 500).map((message) => ({
          key: message.key,
          value: JSON.stringify(buildEnvelope({ source: '/scholarpay/tests', type: message.type, subject: message.key, data: message.data })),
        })),
      });
    }
  }
}

/** Reads payments' tables directly (assertions only; the service never shares them). */
export class PaymentsDb {
  private constructor(private readonly client: Client) {}

  static async connect(url: string): Promise<PaymentsDb> {
    const client = new Client({ connectionString: url, options: '-c search_path=payments' });
    await client.connect();
    return new PaymentsDb(client);
  }

  async rows<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.client.query(sql, params)).rows as T[];
  }

  async value<T = any>(sql: string, params: unknown[] = []): Promise<T> {
    const rows = await this.rows<Record<string, T>>(sql, params);
    return Object.values(rows[0] ?? {})[0] as T;
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
