import { Pool } from 'undici';
import type { HttpAnswer, TransportFailure } from './provider-outcome';

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

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
    try {
      const response = await this.pool.request({
        method: request.method,
        path: `${this.basePath}${request.path}`,
        headers,
        body: payload,
        // undici's own timers (no AbortSignal per call: creating one costs more CPU than the call).
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
      });
      const body = parseJson(await response.body.text());
      return { status: response.statusCode, headers: response.headers, body };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'REQUEST_ERROR';
      return TIMEOUT_CODES.has(code) ? { kind: 'timeout' } : { kind: 'network', code };
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
