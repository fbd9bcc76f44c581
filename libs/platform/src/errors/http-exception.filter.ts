import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { AuthError } from '@scholarpay/auth';
import { scrubDatabaseError } from '../database/redacting-typeorm.logger';
import { AppError, FieldProblem, httpStatusOfKind } from './app-error';
import { jsonSyntaxReason } from '../http/body-parsers';

/** The body of every error answer. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors?: FieldProblem[];
  details?: Record<string, unknown>;
  errorId?: string;
}

const codeOfStatus: Record<number, string> = {
  400: 'REQUEST.INVALID',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'AUTH.FORBIDDEN',
  404: 'REQUEST.NOT_FOUND',
  405: 'REQUEST.METHOD_NOT_ALLOWED',
  409: 'REQUEST.CONFLICT',
  413: 'REQUEST.PAYLOAD_TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  429: 'REQUEST.TOO_MANY_REQUESTS',
};

/**
 * The one place errors become HTTP answers. Known errors keep their code and message; anything
 * unexpected becomes a 500 that tells the client only an error id, while the log has the rest.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toBody(exception);
    if (response.sent) return;
    response.status(body.statusCode).send(body);
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof AppError) {
      return {
        statusCode: httpStatusOfKind[exception.kind],
        code: exception.code,
        message: exception.message,
        ...(exception.fields?.length ? { errors: exception.fields } : {}),
        ...(exception.details ? { details: exception.details } : {}),
      };
    }
    if (exception instanceof AuthError) {
      return { statusCode: exception.status, code: exception.code, message: exception.message };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : String((response as { message?: unknown }).message ?? exception.message);
      // Fastify's JSON parser failures reach us as a plain 400; give them a code of their own.
      if (status === 400 && /JSON/.test(message)) {
        return { statusCode: 400, code: 'REQUEST.MALFORMED_JSON', message: `the request body is not valid JSON: ${jsonSyntaxReason(message)}` };
      }
      return { statusCode: status, code: codeOfStatus[status] ?? `HTTP.${status}`, message };
    }
    const errorId = randomUUID();
    scrubDatabaseError(exception);
    this.logger.error({ err: exception, errorId }, 'unexpected error');
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      code: 'INTERNAL.UNEXPECTED',
      message: 'an unexpected error occurred; quote the error id when reporting it',
      errorId,
    };
  }
}
