import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { maskSensitiveText } from './redaction';

/** A request with the correlation id the request hooks gave it, which its log line carries. */
export type CorrelatedRequest = IncomingMessage & { correlationId?: string };

/**
 * One line per request once its response is done: `request completed` (info), `request errored`
 * (error, for 5xx) or `request aborted` (warn, the client went away first), with the method, the
 * masked URL, the status and the time taken. The status is a top-level `statusCode`: under `res`
 * it would go through pino-http's response serializer, which nulls the status of anything that is not
 * a sent ServerResponse. It replaces pino-http,
 * whose per-request child loggers and async context cost the provider ≈ 100 µs of its ≈ 590 µs of
 * CPU per cash-in even with only warnings logged (`npm run bench:provider`, four runs each); log
 * lines written during a request carry its correlation id instead of a request binding.
 */
export function accessLogWatcher(
  logger: () => Logger,
  ignore: (url: string) => boolean,
): (req: CorrelatedRequest, res: ServerResponse) => void {
  return (req, res) => {
    if (!ignore(req.url ?? '')) {
      const startedAt = performance.now();
      res.once('close', () => {
        const log = logger();
        const finished = res.writableFinished;
        const level = !finished ? 'warn' : res.statusCode >= 500 ? 'error' : 'info';
        if (!log.isLevelEnabled(level)) return;
        log[level](
          {
            req: { id: req.correlationId, method: req.method, url: maskSensitiveText(req.url ?? '') },
            statusCode: res.statusCode,
            responseTime: Math.round((performance.now() - startedAt) * 10) / 10,
          },
          !finished ? 'request aborted' : level === 'error' ? 'request errored' : 'request completed',
        );
      });
    }
  };
}

/** Health probes and metric scrapes are not logged. */
export function isProbe(url: string): boolean {
  return url === '/metrics' || url.startsWith('/health');
}
