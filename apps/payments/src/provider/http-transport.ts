import { Pool } from 'undici';
import type { HttpAnswer, TransportFailure } from './provider-outcome';

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  /** JSON-serialisable body, or a string sent as is. */
  body?: unknown;
  timeoutMs: number;
}

/**
 * A small HTTP client over one undici keep-alive pool: thousands of provider calls per second
 * reuse a bounded set of sockets, at about half the CPU per request of node's http agent (this
 * client shares the machine's cores with everything it calls). It never throws for HTTP statuses
 * or network failures: it returns the answer or the failure, and callers classify them.
 */
export class HttpTransport {
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(baseUrl: string, maxSockets: number) {
    const base = new URL(baseUrl);
    this.basePath = base.pathname.replace(/\/$/, '');
    this.pool = new Pool(base.origin, { connections: maxSockets, keepAliveTimeout: 10_000 });
  }

  async request(request: TransportRequest): Promise<HttpAnswer | TransportFailure> {
    const payload =
      request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (payload !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    // One deadline for the whole exchange (connect, headers and body), as the provider contract states it.
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, request.timeoutMs);
    try {
      const response = await this.pool.request({
        method: request.method,
        path: `${this.basePath}${request.path}`,
        headers,
        body: payload,
        signal: abort.signal,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      const body = parseJson(await response.body.text());
      return { status: response.statusCode, headers: response.headers, body };
    } catch (error) {
      if (timedOut) return { kind: 'timeout' };
      return { kind: 'network', code: (error as NodeJS.ErrnoException).code ?? 'REQUEST_ERROR' };
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    void this.pool.destroy();
  }
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
