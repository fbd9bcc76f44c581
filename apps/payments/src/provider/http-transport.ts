import http from 'node:http';
import https from 'node:https';
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
 * A small HTTP client over node's keep-alive agents: thousands of provider calls per second reuse
 * a bounded pool of sockets instead of opening a connection each. It never throws for HTTP
 * statuses or network failures: it returns the answer or the failure, and callers classify them.
 */
export class HttpTransport {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly client: typeof http | typeof https;

  constructor(baseUrl: string, maxSockets: number) {
    this.base = new URL(baseUrl);
    const secure = this.base.protocol === 'https:';
    this.client = secure ? https : http;
    const options = { keepAlive: true, keepAliveMsecs: 10000, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' as const };
    this.agent = secure ? new https.Agent(options) : new http.Agent(options);
  }

  request(request: TransportRequest): Promise<HttpAnswer | TransportFailure> {
    const payload =
      request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    const headers: Record<string, string | number> = { accept: 'application/json', ...request.headers };
    if (payload !== undefined) {
      headers['content-length'] = Buffer.byteLength(payload);
      if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    const basePath = this.base.pathname.replace(/\/$/, '');
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: HttpAnswer | TransportFailure) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = this.client.request(
        {
          protocol: this.base.protocol,
          hostname: this.base.hostname,
          port: this.base.port || undefined,
          method: request.method,
          path: `${basePath}${request.path}`,
          headers,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => finish({ status: res.statusCode ?? 0, headers: res.headers, body: parseJson(Buffer.concat(chunks)) }));
          res.on('error', (error: NodeJS.ErrnoException) => finish({ kind: 'network', code: error.code ?? 'RESPONSE_ERROR' }));
        },
      );
      const timer = setTimeout(() => {
        finish({ kind: 'timeout' });
        req.destroy();
      }, request.timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => finish({ kind: 'network', code: error.code ?? 'REQUEST_ERROR' }));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function parseJson(buffer: Buffer): unknown {
  if (buffer.length === 0) return undefined;
  try {
    return JSON.parse(buffer.toString('utf8'));
  } catch {
    return undefined;
  }
}
