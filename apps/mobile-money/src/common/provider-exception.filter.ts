import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { AppError } from '@scholarpay/platform';
import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { ProviderError } from './provider-error';
import { safeError } from './safe-error';

/**
 * Errors of the provider's routes in the provider's format. Validation failures from the platform's
 * ValidationPipe become `{ code: "INVALID_REQUEST", message, errors: [{ field, problem }] }`; anything
 * unexpected becomes `{ code: "INTERNAL_ERROR", errorId }` while the log has the rest.
 */
@Catch()
export class ProviderExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('MobileMoneyProvider');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<FastifyReply>();
    if (response.sent || response.raw.destroyed) return;
    const { status, body, headers } = this.toAnswer(exception);
    for (const [name, value] of Object.entries(headers)) response.header(name, value);
    response.status(status).send(body);
  }

  toAnswer(exception: unknown): {
    status: number;
    body: Record<string, unknown>;
    headers: Record<string, string>;
  } {
    if (exception instanceof ProviderError) {
      return { status: exception.status, body: exception.body, headers: exception.headers };
    }
    if (exception instanceof AppError && exception.kind === 'validation') {
      return {
        status: 400,
        body: { code: 'INVALID_REQUEST', message: exception.message, errors: exception.fields ?? [] },
        headers: {},
      };
    }
    // Body parser failures reach us from Fastify as HttpExceptions: 400 (not JSON) and 413 (too large).
    if (exception instanceof HttpException && exception.getStatus() === 413) {
      return {
        status: 413,
        body: { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is over the size limit' },
        headers: {},
      };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const code =
        status === 404 ? 'RESOURCE_NOT_FOUND' : status === 400 ? 'INVALID_REQUEST' : `HTTP_${status}`;
      return { status, body: { code, message: exception.message }, headers: {} };
    }
    const errorId = randomUUID();
    this.logger.error({ error: safeError(exception), errorId }, 'unexpected error in the mock provider');
    return {
      status: 500,
      body: {
        code: 'INTERNAL_ERROR',
        message: 'an unexpected error occurred; quote the error id when reporting it',
        errorId,
      },
      headers: {},
    };
  }
}
