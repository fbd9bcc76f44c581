import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { accessLogWatcher, CorrelatedRequest, isProbe } from '../logging/access-log';
import { CORRELATION_HEADER, correlationIdFrom, runWithCorrelation } from '../logging/correlation';
import { observeHttpRequest } from '../metrics/http-metrics';
import { MetricsService } from '../metrics/metrics.service';

/**
 * What happens around every request of every service, as Fastify hooks (no Nest middleware, so no
 * middleware runner per request): the correlation id (taken from the caller or made, echoed in the
 * answer), the access log line, and the duration metric by route pattern.
 *
 * The correlation context is entered in `preHandler`, after the body is read, because the body's
 * stream events do not carry the async context of a hook that ran before them; guards, pipes, the
 * handler and the exception filters all run inside it.
 */
export function registerRequestHooks(
  fastify: FastifyInstance,
  dependencies: { logger: () => Logger; metrics: MetricsService },
): void {
  const watchForAccessLog = accessLogWatcher(dependencies.logger, isProbe);
  fastify.addHook('onRequest', (request, reply, done) => {
    const correlationId = correlationIdFrom(request.headers[CORRELATION_HEADER]);
    (request.raw as CorrelatedRequest).correlationId = correlationId;
    reply.header(CORRELATION_HEADER, correlationId);
    watchForAccessLog(request.raw, reply.raw);
    done();
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const correlationId = (request.raw as CorrelatedRequest).correlationId!;
    runWithCorrelation({ correlationId, causationId: correlationId }, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    observeHttpRequest(dependencies.metrics, {
      method: request.method,
      routePattern: request.routeOptions.url,
      statusCode: reply.statusCode,
      elapsedMs: reply.elapsedTime,
    });
    done();
  });
}
