/**
 * HTTP for the Gao story, as a careful client of the public APIs: every request has a timeout;
 * connection errors, timeouts, 5xx and 429 (honouring Retry-After) are retried with backoff while
 * a service restarts; any other answer is returned or raised as an ApiError naming the request.
 *
 * Requests that are not safe to repeat blindly (creating a batch, approving it) are sent with
 * `retry: false`: a transient failure then surfaces as a TransientError and the caller looks up
 * what happened before trying again.
 */
import { signDevelopmentToken, type Role } from '@scholarpay/auth';

export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(
      `${method} ${url} → ${status} ${typeof body === 'string' ? body : JSON.stringify(body)}`.slice(0, 2000),
    );
    this.name = 'ApiError';
  }

  /** The stable error code of the answer (`PAYOUT_BATCH.NOT_FOUND`, `RESOURCE_NOT_FOUND`...). */
  get code(): string | undefined {
    const code = (this.body as { code?: unknown } | null)?.code;
    return code === undefined || code === null ? undefined : String(code);
  }
}

/** The request may or may not have reached the service: look before you try again. */
export class TransientError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly reason: string,
    readonly retryAfterMs?: number,
  ) {
    super(`${method} ${url}: ${reason}`);
    this.name = 'TransientError';
  }
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** JSON body, or a raw body with its content type. */
  json?: unknown;
  raw?: { contentType: string; data: string | Buffer };
  form?: Record<string, string>;
  /** Retry transient failures until the client's patience runs out (default true). */
  retry?: boolean;
  /** Statuses returned as answers rather than raised (2xx always are). */
  accept?: number[];
  /** Expect a text answer (CSV, SVG) rather than JSON. */
  text?: boolean;
}

export interface HttpClientOptions {
  /** How long one request may take before it is abandoned as a timeout. */
  requestTimeoutMs?: number;
  /** How long transient failures of one request are retried before giving up. */
  patienceMs?: number;
  /** Told about each retry, e.g. to print "payments is not answering, retrying". */
  onRetry?: (what: string, attempt: number, reason: string) => void;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if ((error as Error)?.name === 'TimeoutError' || (error as Error)?.name === 'AbortError')
    return 'no answer in time';
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

export class HttpClient {
  readonly requestTimeoutMs: number;
  readonly patienceMs: number;

  constructor(private readonly options: HttpClientOptions = {}) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.patienceMs = options.patienceMs ?? 240_000;
  }

  async request<T = unknown>(url: string, options: RequestOptions = {}): Promise<Answer<T>> {
    const method =
      options.method ?? (options.json !== undefined || options.raw || options.form ? 'POST' : 'GET');
    const retry = options.retry ?? true;
    const deadline = Date.now() + this.patienceMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.once<T>(url, method, options);
      } catch (error) {
        if (!(error instanceof TransientError) || !retry || Date.now() > deadline) throw error;
        const backoff = Math.min(5_000, 200 * 2 ** Math.min(attempt - 1, 5)) * (0.5 + Math.random());
        this.options.onRetry?.(`${method} ${url}`, attempt, error.reason);
        await sleep(Math.max(error.retryAfterMs ?? 0, backoff));
      }
    }
  }

  private async once<T>(url: string, method: string, options: RequestOptions): Promise<Answer<T>> {
    const headers: Record<string, string> = {
      accept: options.text ? '*/*' : 'application/json',
      ...options.headers,
    };
    let body: string | Buffer | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.raw) {
      headers['content-type'] = options.raw.contentType;
      body = options.raw.data;
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new TransientError(method, url, describeNetworkError(error));
    }
    let parsed: unknown = text;
    if (!options.text || !response.ok) {
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text;
      }
    }
    if (response.status === 429 || response.status >= 500) {
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new TransientError(
        method,
        url,
        `${response.status} ${(parsed as { code?: string } | null)?.code ?? ''}`.trim(),
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      );
    }
    if (response.ok || options.accept?.includes(response.status)) {
      return { status: response.status, body: parsed as T, headers: response.headers };
    }
    throw new ApiError(method, url, response.status, parsed);
  }
}

/** One ScholarPay service (REST under /api/v1), called as one person (a signed development token). */
export class ServiceApi {
  constructor(
    readonly name: string,
    readonly baseUrl: string,
    private readonly http: HttpClient,
    private readonly token: string,
  ) {}

  url(path: string): string {
    return `${this.baseUrl}/api/v1${path}`;
  }

  request<T = unknown>(path: string, options: RequestOptions = {}): Promise<Answer<T>> {
    return this.http.request<T>(this.url(path), {
      ...options,
      headers: { authorization: `Bearer ${this.token}`, ...options.headers },
    });
  }

  async get<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.request<T>(path, options)).body;
  }

  async post<T = unknown>(path: string, json: unknown, options: RequestOptions = {}): Promise<T> {
    return (await this.request<T>(path, { ...options, method: 'POST', json })).body;
  }
}

/** A person of the story: who they are and what their token lets them do. */
export interface Persona {
  sub: string;
  roles: Role[];
  schoolIds?: string[];
}

export async function tokenFor(persona: Persona, secret: string): Promise<string> {
  return signDevelopmentToken(
    { sub: persona.sub, roles: persona.roles, schoolIds: persona.schoolIds ?? [] },
    secret,
  );
}

/**
 * The mock mobile-money provider, reached as the merchant: OAuth2 client credentials (Basic auth),
 * a cached bearer renewed on 401, and the provider's own error format.
 */
export class ProviderApi {
  private token: string | null = null;

  constructor(
    readonly baseUrl: string,
    private readonly http: HttpClient,
    private readonly clientId: string,
    private readonly clientSecret: string,
  ) {}

  private async issueToken(): Promise<string> {
    const basic = Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64');
    const answer = await this.http.request<{ access_token: string }>(`${this.baseUrl}/oauth/v3/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
      form: { grant_type: 'client_credentials' },
    });
    return answer.body.access_token;
  }

  async request<T = unknown>(path: string, options: RequestOptions = {}): Promise<Answer<T>> {
    for (let attempt = 1; ; attempt += 1) {
      this.token ??= await this.issueToken();
      try {
        return await this.http.request<T>(`${this.baseUrl}${path}`, {
          ...options,
          headers: { authorization: `Bearer ${this.token}`, ...options.headers },
        });
      } catch (error) {
        // A token can expire or be forgotten (a provider restart keeps tokens, but be safe).
        if (error instanceof ApiError && error.status === 401 && attempt < 3) {
          this.token = null;
          continue;
        }
        throw error;
      }
    }
  }

  async get<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.request<T>(path, options)).body;
  }
}
