import { HttpTransport, TransportRequest } from './http-transport';
import { OAuthTokenCache, TokenUnavailableError } from './oauth-token.cache';
import {
  CashinOutcome,
  classifyCashinAnswer,
  classifyStatusAnswer,
  errorCode,
  HttpAnswer,
  isTransportFailure,
  retryAfterMs,
  StatusOutcome,
  TransportFailure,
} from './provider-outcome';

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

export type SmsOutcome =
  | { kind: 'sent'; smsId: string }
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'rejected'; httpStatus: number; code: string }
  | { kind: 'failed'; reason: string };

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
 */
export class MobileMoneyClient {
  private readonly transport: HttpTransport;
  private readonly tokens: OAuthTokenCache;

  constructor(private readonly options: MobileMoneyClientOptions) {
    this.transport = new HttpTransport(options.baseUrl, options.maxSockets);
    this.tokens = new OAuthTokenCache(() => this.issueToken(), options.clock);
  }

  async createCashin(request: CashinRequest): Promise<CallRecord<CashinOutcome>> {
    const started = Date.now();
    const answer = await this.authorized({
      method: 'POST',
      path: '/cashins',
      headers: {
        'x-reference-id': request.referenceId,
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

  async getCashin(referenceId: string): Promise<CallRecord<StatusOutcome>> {
    const started = Date.now();
    const answer = await this.authorized({ method: 'GET', path: `/cashins/${encodeURIComponent(referenceId)}`, timeoutMs: this.options.timeoutMs });
    if (answer instanceof TokenUnavailableError) {
      return { outcome: { kind: 'unavailable', reason: answer.message }, httpStatus: null, durationMs: Date.now() - started };
    }
    return { outcome: classifyStatusAnswer(answer), httpStatus: statusOf(answer), durationMs: Date.now() - started };
  }

  async sendSms(request: { to: string; message: string; reference: string }): Promise<CallRecord<SmsOutcome>> {
    const started = Date.now();
    const answer = await this.authorized({ method: 'POST', path: '/sms/outbound', body: request, timeoutMs: this.options.timeoutMs });
    const durationMs = () => Date.now() - started;
    if (answer instanceof TokenUnavailableError) return { outcome: { kind: 'failed', reason: answer.message }, httpStatus: null, durationMs: durationMs() };
    if (isTransportFailure(answer)) {
      return { outcome: { kind: 'failed', reason: answer.kind === 'timeout' ? 'timed out' : `network error ${answer.code}` }, httpStatus: null, durationMs: durationMs() };
    }
    const smsId = (answer.body as { smsId?: unknown } | undefined)?.smsId;
    let outcome: SmsOutcome;
    if ((answer.status === 200 || answer.status === 201) && typeof smsId === 'string') outcome = { kind: 'sent', smsId };
    else if (answer.status === 429) outcome = { kind: 'rate_limited', retryAfterMs: retryAfterMs(answer.headers) };
    else if (answer.status >= 400 && answer.status < 500 && answer.status !== 401 && answer.status !== 408) {
      outcome = { kind: 'rejected', httpStatus: answer.status, code: errorCode(answer.body) };
    } else outcome = { kind: 'failed', reason: `${answer.status} ${errorCode(answer.body)}` };
    return { outcome, httpStatus: answer.status, durationMs: durationMs() };
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
      const answer = await this.transport.request({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } });
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
