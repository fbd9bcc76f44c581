import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable, finalize } from 'rxjs';
import { MetricsService } from './metrics.service';

@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: MetricsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const stop = this.metrics.httpRequestDuration.startTimer();
    // The route pattern, never the raw URL: ids and phone numbers must not become label values.
    const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
    return next.handle().pipe(
      finalize(() => stop({ method: request.method, route, status: String(response.statusCode) })),
    );
  }
}
