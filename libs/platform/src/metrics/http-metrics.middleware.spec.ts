import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsService } from './metrics.service';

describe('HttpMetricsMiddleware', () => {
  async function countOf(metrics: MetricsService, labels: Record<string, string>): Promise<number> {
    const { values } = await metrics.httpRequestDuration.get();
    const match = values.find(
      (value) =>
        value.metricName === 'http_request_duration_seconds_count' &&
        Object.entries(labels).every(
          ([key, label]) => (value.labels as Record<string, unknown>)[key] === label,
        ),
    );
    return match?.value ?? 0;
  }

  it('records the matched route pattern and status once the response finishes, never the raw URL', async () => {
    const metrics = new MetricsService('test');
    const middleware = new HttpMetricsMiddleware(metrics);
    const request = { method: 'GET', url: '/accountholders/+22376123456/active' } as unknown as Request;
    const response = Object.assign(new EventEmitter(), { statusCode: 200 }) as unknown as Response;
    const next = jest.fn();

    middleware.use(request, response, next);
    expect(next).toHaveBeenCalledTimes(1);
    expect(await countOf(metrics, { route: '/accountholders/:msisdn/active' })).toBe(0);

    // Express sets the matched route while dispatching; the observation happens at 'finish'.
    (request as { route?: unknown }).route = { path: '/accountholders/:msisdn/active' };
    response.emit('finish');
    expect(
      await countOf(metrics, { method: 'GET', route: '/accountholders/:msisdn/active', status: '200' }),
    ).toBe(1);
    expect(JSON.stringify((await metrics.httpRequestDuration.get()).values)).not.toContain('22376123456');
  });

  it('labels a request no route matched as unmatched', async () => {
    const metrics = new MetricsService('test');
    const response = Object.assign(new EventEmitter(), { statusCode: 404 }) as unknown as Response;
    new HttpMetricsMiddleware(metrics).use({ method: 'GET' } as Request, response, jest.fn());
    response.emit('finish');
    expect(await countOf(metrics, { route: 'unmatched', status: '404' })).toBe(1);
  });
});
