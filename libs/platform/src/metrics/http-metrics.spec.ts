import { observeHttpRequest } from './http-metrics';
import { MetricsService } from './metrics.service';

describe('observeHttpRequest', () => {
  async function sampleOf(
    metrics: MetricsService,
    suffix: 'count' | 'sum',
    labels: Record<string, string>,
  ): Promise<number> {
    const { values } = await metrics.httpRequestDuration.get();
    const match = values.find(
      (value) =>
        value.metricName === `http_request_duration_seconds_${suffix}` &&
        Object.entries(labels).every(
          ([key, label]) => (value.labels as Record<string, unknown>)[key] === label,
        ),
    );
    return match?.value ?? 0;
  }

  it('records the duration in seconds under the route pattern and status, never the raw URL', async () => {
    const metrics = new MetricsService('test');
    observeHttpRequest(metrics, {
      method: 'GET',
      routePattern: '/accountholders/:msisdn/active',
      statusCode: 200,
      elapsedMs: 250,
    });
    const labels = { method: 'GET', route: '/accountholders/:msisdn/active', status: '200' };
    expect(await sampleOf(metrics, 'count', labels)).toBe(1);
    expect(await sampleOf(metrics, 'sum', labels)).toBeCloseTo(0.25);
    expect(JSON.stringify((await metrics.httpRequestDuration.get()).values)).not.toContain('22376123456');
  });

  it('labels a request no route matched as unmatched', async () => {
    const metrics = new MetricsService('test');
    observeHttpRequest(metrics, { method: 'GET', routePattern: undefined, statusCode: 404, elapsedMs: 1 });
    expect(await sampleOf(metrics, 'count', { route: 'unmatched', status: '404' })).toBe(1);
  });
});
