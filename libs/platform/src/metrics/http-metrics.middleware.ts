import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/**
 * Request duration by route pattern and status, observed when the response is finished. A
 * middleware rather than an interceptor: with no global interceptor, Nest skips its per-request
 * interceptor chain (rxjs plus async-context binding), a measurable share of a request's CPU.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const stop = this.metrics.httpRequestDuration.startTimer();
    response.once('finish', () =>
      // The route pattern, never the raw URL: ids and phone numbers must not become label values.
      stop({ method: request.method, route: routePatternOf(request), status: String(response.statusCode) }),
    );
    next();
  }
}

/** The matched route's pattern with the prefix it was mounted under, or `unmatched`. */
export function routePatternOf(request: Request): string {
  const route = request.route as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? route.path : 'unmatched';
}
