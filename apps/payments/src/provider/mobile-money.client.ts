import { Coalescer, currentCorrelationId } from '@scholarpay/platform';
import { HttpTransport, TransportRequest } from './http-transport';
import { OAuthTokenCache, TokenUnavailableError } from './oauth-token.cache';
import {
  CashinOutcome,
  classifyCashinAnswer,
  classifyLookupAnswer,
  classifySmsAnswer,
  classifySmsBatchAnswer,
  errorCode,
  HttpAnswer,
  isTransportFailure,
  SmsOutcome,
  StatusOutcome,
  TransportFailure,
} from './provider-outcome';

export type { SmsOutcome } from './provider-outcome';

/** The provider's limits for `POST /cashins/lookup` and `POST /sms/outbound/batch`. */
const MAX_LOOKUP_REFERENCES = 100;
const MAX_SMS_PER_BATCH = 100;
/** Bulk requests of each kind in flight at once; more calls meanwhile wait and go in the next one. */
const BULK_REQUESTS_IN_FLIGHT = 4;

export interface MobileMoneyClientOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  maxSockets: number;
  /** The clock the token cache reads (tests freeze it to make the provider expire a token first). */
  clock?: () => number;
}

/** What one provider call did, for the provider_transactions record. */
export interface CallRecord<TOutcome> {
  outcome: TOutcome;
  httpStatus: number | null;
  durationMs: number;
}

export interface CashinRequest {
  referenceId: string;
  msisdn: string;
  amount: number;
  reference: string;
  description: string;
  callbackUrl?: string;
}

export interface SmsRequest {
  to: string;
  message: string;
  /** The idempotency key: the provider sends a reference once. */
  reference: string;
}

export interface StatementPage {
  items: {
    transactionId: string;
    referenceId: string;
    status: 'PENDING' | 'SUCCESS' | 'FAILED';
    amount: { value: number; unit: string };
    createdAt: string;
    completedAt: string | null;
    reasonCode: string | null;
  }[];
  nextCursor: string | null;
}

export class ProviderUnavailableError extends Error {
  constructor(
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'ProviderUnavailableError';
  }
}

/**
 * The mobile-money provider's API as payments uses it: OAuth2 client credentials (cached,
 * refreshed once on 401), a timeout on every call, and answers classified into outcomes the
 * disbursement rules understand. Phone numbers travel in requests only, never in errors.
 *
 * Status queries and SMS asked for in the same turn of the event loop (the lines of a job, or of
 * several) travel together in one bulk request (`POST /cashins/lookup`, `POST /sms/outbound/batch`):
 * each caller still gets its own reference's outcome, as the one-by-one endpoints would give it.
 * On a machine where payments and the provider share the cores, each HTTP exchange saved is CPU
 * on both sides; the cash-in itself is always sent alone, under its own X-Reference-Id.
 */
export class MobileMoneyClient {
  private readonly transport: HttpTransport;
  private readonly tokens: OAuthTokenCache;
  private readonly statusQueries: Coalescer<string, CallRecord<StatusOutcome>>;
  private readonly smsSends: Coalescer<SmsRequest, CallRecord<SmsOutcome>>;

  constructor(private readonly options: MobileMoneyClientOptions) {
    this.transport = new HttpTransport(options.baseUrl, options.maxSockets);
    this.tokens = new OAuthTokenCache(() => this.issueToken(), options.clock);
    this.statusQueries = new Coalescer((referenceIds) => this.lookupCashins(referenceIds), {
      maxBatch: MAX_LOOKUP_REFERENCES,
      maxConcurrent: BULK_REQUESTS_IN_FLIGHT,
      gatherTurn: true,
    });
    this.smsSends = new Coalescer((requests) => this.sendSmsBatch(requests), {
      maxBatch: MAX_SMS_PER_BATCH,
      maxConcurrent: BULK_REQUESTS_IN_FLIGHT,
      gatherTurn: true,
    });
  }

  async createCashin(request: CashinRequest): Promise<CallRecord<CashinOutcome>> {
    const started = Date.now();
    const answer = await this.authorized({
      method: 'POST',
      path: '/cashins',
      headers: {
        'x-reference-id': request.referenceId,
        // The provider's log lines for this cash-in then carry the payout line's id.
        'x-correlation-id': request.referenceId,
        ...(request.callbackUrl ? { 'x-callback-url': request.callbackUrl } : {}),
      },
      body: {
        customer: { idType: 'MSISDN', id: request.msisdn },
        amount: { value: request.amount, unit: 'XOF' },
        reference: request.reference,
        description: request.description,
      },
      timeoutMs: this.options.timeoutMs,
    });
    if (answer instanceof TokenUnavailableError) {
      // No token, so nothing was sent: not ambiguous.
      return { outcome: { kind: 'not_processed', httpStatus: 0, code: 'TOKEN_UNAVAILABLE', message: answer.message }, httpStatus: null, durationMs: Date.now() - started };
    }
    return { outcome: classifyCashinAnswer(answer), httpStatus: statusOf(answer), durationMs: Date.now() - started };
  }

  /** The status query for one reference (sent with the others asked for at the same time). */
  getCashin(referenceId: string): Promise<CallRecord<StatusOutcome>> {
    return this.statusQueries.submit(referenceId);
  }

  /** One SMS, idempotent by its reference (sent with the others asked for at the same time). */
  sendSms(request: SmsRequest): Promise<CallRecord<SmsOutcome>> {
    return this.smsSends.submit(request);
  }

  private async lookupCashins(referenceIds: string[]): Promise<CallRecord<StatusOutcome>[]> {
    const started = Date.now();
    const answer = await this.authorized({ method: 'POST', path: '/cashins/lookup', body: { referenceIds }, timeoutMs: this.options.timeoutMs });
    const durationMs = Date.now() - started;
    if (answer instanceof TokenUnavailableError) {
      return referenceIds.map(() => ({ outcome: { kind: 'unavailable', reason: answer.message }, httpStatus: null, durationMs }));
    }
    return classifyLookupAnswer(answer, referenceIds).map((outcome) => ({ outcome, httpStatus: statusOf(answer), durationMs }));
  }

  private async sendSmsBatch(requests: SmsRequest[]): Promise<CallRecord<SmsOutcome>[]> {
    const started = Date.now();
    const answer = await this.authorized({ method: 'POST', path: '/sms/outbound/batch', body: { messages: requests }, timeoutMs: this.options.timeoutMs });
    const durationMs = Date.now() - started;
    if (answer instanceof TokenUnavailableError) {
      return requests.map(() => ({ outcome: { kind: 'failed', reason: answer.message }, httpStatus: null, durationMs }));
    }
    const outcomes = classifySmsBatchAnswer(answer, requests.map((request) => request.reference));
    if (outcomes === 'one_by_one') return Promise.all(requests.map((request) => this.sendOneSms(request)));
    return outcomes.map((outcome) => ({ outcome, httpStatus: statusOf(answer), durationMs }));
  }

  private async sendOneSms(request: SmsRequest): Promise<CallRecord<SmsOutcome>> {
    const started = Date.now();
    const answer = await this.authorized({ method: 'POST', path: '/sms/outbound', body: request, timeoutMs: this.options.timeoutMs });
    const durationMs = Date.now() - started;
    if (answer instanceof TokenUnavailableError) return { outcome: { kind: 'failed', reason: answer.message }, httpStatus: null, durationMs };
    return { outcome: classifySmsAnswer(answer), httpStatus: statusOf(answer), durationMs };
  }

  /** The merchant's float; throws ProviderUnavailableError when the provider cannot say. */
  async getBalance(): Promise<{ available: number; reserved: number }> {
    const answer = await this.authorized({ method: 'GET', path: '/account/balance', timeoutMs: this.options.timeoutMs });
    const body = this.expectOk(answer, 'the account balance') as { available?: { value?: unknown }; reserved?: { value?: unknown } };
    const available = body?.available?.value;
    const reserved = body?.reserved?.value ?? 0;
    if (typeof available !== 'number' || typeof reserved !== 'number') {
      throw new ProviderUnavailableError('the provider answered the balance request with an unreadable body');
    }
    return { available, reserved };
  }

  /** One page of the provider's statement (createdAt in [from, to)). */
  async listTransactions(query: { from: string; to: string; cursor?: string | null; limit?: number }): Promise<StatementPage> {
    const params = new URLSearchParams({ from: query.from, to: query.to, limit: String(query.limit ?? 1000) });
    if (query.cursor) params.set('cursor', query.cursor);
    const answer = await this.authorized({ method: 'GET', path: `/transactions?${params.toString()}`, timeoutMs: Math.max(this.options.timeoutMs, 30000) });
    const body = this.expectOk(answer, 'the transaction statement') as Partial<StatementPage>;
    if (!Array.isArray(body?.items)) throw new ProviderUnavailableError('the provider answered the statement request with an unreadable body');
    return { items: body.items, nextCursor: typeof body.nextCursor === 'string' && body.nextCursor ? body.nextCursor : null };
  }

  close(): void {
    this.transport.close();
  }

  private expectOk(answer: HttpAnswer | TransportFailure | TokenUnavailableError, what: string): unknown {
    if (answer instanceof TokenUnavailableError) throw new ProviderUnavailableError(`cannot ask for ${what}: ${answer.message}`);
    if (isTransportFailure(answer)) {
      throw new ProviderUnavailableError(`the provider did not answer the request for ${what} (${answer.kind === 'timeout' ? 'timed out' : answer.code})`);
    }
    if (answer.status !== 200) {
      throw new ProviderUnavailableError(`the provider answered the request for ${what} with ${answer.status} ${errorCode(answer.body)}`, answer.status);
    }
    return answer.body;
  }

  /** Sends with a bearer token; on 401 (expired or refused token) fetches a new one and tries once more. */
  private async authorized(request: TransportRequest): Promise<HttpAnswer | TransportFailure | TokenUnavailableError> {
    for (let attempt = 1; ; attempt++) {
      let token: string;
      try {
        token = await this.tokens.get();
      } catch (error) {
        return error instanceof TokenUnavailableError ? error : new TokenUnavailableError(String(error));
      }
      const correlationId = currentCorrelationId();
      const answer = await this.transport.request({
        ...request,
        headers: { ...(correlationId ? { 'x-correlation-id': correlationId } : {}), ...request.headers, authorization: `Bearer ${token}` },
      });
      if (!isTransportFailure(answer) && answer.status === 401 && attempt === 1) {
        this.tokens.invalidate(token);
        continue;
      }
      return answer;
    }
  }

  private async issueToken(): Promise<{ accessToken: string; expiresInSeconds: number }> {
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString('base64');
    const answer = await this.transport.request({
      method: 'POST',
      path: '/oauth/v3/token',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
      timeoutMs: this.options.timeoutMs,
    });
    if (isTransportFailure(answer)) {
      throw new TokenUnavailableError(`the token endpoint did not answer (${answer.kind === 'timeout' ? 'timed out' : answer.code})`);
    }
    const body = answer.body as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (answer.status !== 200 || typeof body?.access_token !== 'string') {
      throw new TokenUnavailableError(`the token endpoint answered ${answer.status} ${errorCode(answer.body)}`);
    }
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 300;
    return { accessToken: body.access_token, expiresInSeconds: expiresIn };
  }
}

function statusOf(answer: HttpAnswer | TransportFailure): number | null {
  return isTransportFailure(answer) ? null : answer.status;
}
