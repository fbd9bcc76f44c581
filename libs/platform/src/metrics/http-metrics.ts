import { MetricsService } from './metrics.service';

/** What a finished request tells the metrics: Fastify's request and reply expose these. */
export interface FinishedRequest {
  method: string;
  /** The matched route's pattern (Fastify's `routeOptions.url`), undefined when no route matched. */
  routePattern: string | undefined;
  statusCode: number;
  elapsedMs: number;
}

/**
 * Request duration by route pattern and status, observed once the response is sent. The route
 * pattern, never the raw URL: ids and phone numbers must not become label values.
 */
export function observeHttpRequest(metrics: MetricsService, finished: FinishedRequest): void {
  metrics.httpRequestDuration.observe(
    {
      method: finished.method,
      route: finished.routePattern ?? 'unmatched',
      status: String(finished.statusCode),
    },
    finished.elapsedMs / 1000,
  );
}
