import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per service instance (not prom-client's global one, so several services
 * can run in one test process). Features add their own counters through `registry`.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpRequestDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }

  counter<TLabel extends string>(name: string, help: string, labelNames: TLabel[] = []): Counter<TLabel> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Counter<TLabel>;
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<TLabel extends string>(
    name: string,
    help: string,
    labelNames: TLabel[] = [],
    buckets?: number[],
  ): Histogram<TLabel> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Histogram<TLabel>;
    return new Histogram({
      name,
      help,
      labelNames,
      registers: [this.registry],
      ...(buckets ? { buckets } : {}),
    });
  }
}
