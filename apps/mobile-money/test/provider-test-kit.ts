import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, serviceTestEnv, testRedisUrl } from '@scholarpay/testing';
import type { RunningServiceApp } from '@scholarpay/platform';
import { startMobileMoneyService } from '../src/mobile-money.app';

export const CLIENT_ID = 'scholarpay-payments';
export const CLIENT_SECRET = 'test-client-secret-0123456789';
export const CALLBACK_SECRET = 'test-callback-secret-0123456789';

/** Environment for the provider under test: its own database, Redis DB 11, fast callbacks. */
export async function providerEnv(
  database: string,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  const databaseUrl = await createTestDatabase(`mobile_money_${database}`);
  return serviceTestEnv({
    databaseUrl,
    kafkaBrokers: '127.0.0.1:1',
    redisUrl: testRedisUrl(11),
    extra: {
      MOBILE_MONEY_CLIENT_ID: CLIENT_ID,
      MOBILE_MONEY_CLIENT_SECRET: CLIENT_SECRET,
      MOBILE_MONEY_CALLBACK_SECRET: CALLBACK_SECRET,
      MOBILE_MONEY_PROCESSING_DELAY_MS: '20',
      MOBILE_MONEY_CALLBACK_BACKOFF_MS: '50',
      MOBILE_MONEY_CALLBACK_TIMEOUT_MS: '2000',
      ...extra,
    },
  });
}

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small HTTP client for the provider, holding a token once `authenticate` has run. */
export class ProviderClient {
  token: string | null = null;

  constructor(readonly baseUrl: string) {}

  static async start(
    env: Record<string, string>,
  ): Promise<{ service: RunningServiceApp; client: ProviderClient }> {
    const service = await startMobileMoneyService(env, { port: 0 });
    const client = new ProviderClient(service.url);
    await client.authenticate();
    return { service, client };
  }

  async authenticate(): Promise<string> {
    const answer = await this.requestToken(CLIENT_ID, CLIENT_SECRET);
    if (answer.status !== 200)
      throw new Error(`token request failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    this.token = answer.body.access_token;
    return this.token!;
  }

  requestToken(clientId: string, secret: string, grantType = 'client_credentials'): Promise<Answer> {
    return this.raw('POST', '/oauth/v3/token', {
      headers: {
        Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: grantType }).toString(),
    });
  }

  cashin(
    input: { msisdn: string; amount: number; reference?: string; description?: string },
    options: { referenceId?: string; callbackUrl?: string } = {},
  ): Promise<Answer> {
    const referenceId = options.referenceId ?? randomUUID();
    return this.send('POST', '/cashins', {
      headers: {
        'X-Reference-Id': referenceId,
        ...(options.callbackUrl ? { 'X-Callback-Url': options.callbackUrl } : {}),
      },
      json: {
        customer: { idType: 'MSISDN', id: input.msisdn },
        amount: { value: input.amount, unit: 'XOF' },
        reference: input.reference ?? `line-${referenceId.slice(0, 8)}`,
        ...(input.description !== undefined
          ? { description: input.description }
          : { description: 'Bourse mensuelle' }),
      },
    });
  }

  status(referenceId: string): Promise<Answer> {
    return this.send('GET', `/cashins/${referenceId}`);
  }

  /** Polls the status until it is final. */
  async finalStatus(referenceId: string, timeoutMs = 20000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await this.status(referenceId);
      if (answer.status === 200 && answer.body.status !== 'PENDING') return answer.body;
      if (Date.now() > deadline)
        throw new Error(`cash-in ${referenceId} still ${answer.status} ${JSON.stringify(answer.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  upsertSubscriber(msisdn: string, kycLevel: number, blocked?: boolean): Promise<Answer> {
    return this.send('POST', '/admin/subscribers', {
      json: { msisdn, kycLevel, ...(blocked === undefined ? {} : { blocked }) },
    });
  }

  send(
    method: string,
    path: string,
    options: { headers?: Record<string, string>; json?: unknown } = {},
  ): Promise<Answer> {
    return this.raw(method, path, {
      headers: {
        ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
        ...(options.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...options.headers,
      },
      body: options.json !== undefined ? JSON.stringify(options.json) : undefined,
    });
  }

  async raw(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string; signal?: AbortSignal } = {},
  ): Promise<Answer> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: init.headers,
      body: init.body,
      signal: init.signal,
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body, headers: response.headers };
  }
}

export interface ReceivedCallback {
  rawBody: Buffer;
  body: any;
  signature: string | undefined;
  receivedAt: number;
}

/**
 * A callback receiver on a free port: records every request and answers with the status
 * `answer()` gives (200 unless told otherwise).
 */
export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  answer: (request: ReceivedCallback, index: number) => number = () => 200;
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        let body: unknown;
        try {
          body = JSON.parse(rawBody.toString('utf8'));
        } catch {
          body = rawBody.toString('utf8');
        }
        const entry = {
          rawBody,
          body,
          signature: request.headers['x-callback-signature'] as string | undefined,
          receivedAt: Date.now(),
        };
        this.received.push(entry);
        response.statusCode = this.answer(entry, this.received.length - 1);
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callbacks/mobile-money`;
    return this;
  }

  for(referenceId: string): ReceivedCallback[] {
    return this.received.filter((entry) => entry.body?.referenceId === referenceId);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const msisdn = (n: number): string => `+2237${String(n).padStart(7, '0')}`;
