import {
  CallHandler,
  ExecutionContext,
  Injectable,
  Logger,
  NestInterceptor,
  OnModuleInit,
} from '@nestjs/common';
import { maskSensitiveText } from '@scholarpay/platform';
import { Observable, catchError, throwError } from 'rxjs';
import { DataSource } from 'typeorm';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's own console logger prints a failed query with its parameters, and those are national
 * ids and phone numbers. This one reports the failure (statement start and error message, both
 * masked) through the service's logger and never the parameters.
 */
export class RedactingTypeOrmLogger implements TypeOrmLogger {
  private readonly logger = new Logger('Database');

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    const message = typeof error === 'string' ? error : error.message;
    this.logger.warn(
      { statement: describeStatement(query), error: maskSensitiveText(message) },
      'query failed',
    );
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ statement: describeStatement(query), durationMs: time }, 'slow query');
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(maskSensitiveText(message));
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(maskSensitiveText(String(message)));
  }
}

/** The first words of a statement: enough to know which one failed, never a value. */
export function describeStatement(query: string): string {
  return query.replace(/\s+/g, ' ').trim().slice(0, 80);
}

/**
 * Removes from a database error what would carry personal data into a log: the query's
 * parameters and Postgres's `detail` ("Key (phone)=(+223...) already exists").
 */
export function scrubDatabaseError(error: unknown): void {
  if (!error || typeof error !== 'object') return;
  const candidate = error as {
    parameters?: unknown;
    detail?: unknown;
    driverError?: unknown;
    where?: unknown;
  };
  if ('parameters' in candidate) candidate.parameters = '[REDACTED]';
  if ('detail' in candidate) candidate.detail = '[REDACTED]';
  if ('where' in candidate) candidate.where = '[REDACTED]';
  if (candidate.driverError && candidate.driverError !== error) scrubDatabaseError(candidate.driverError);
}

/** Scrubs database errors on their way to the platform's error filter, which logs unexpected ones whole. */
@Injectable()
export class DatabaseErrorScrubbingInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        scrubDatabaseError(error);
        return throwError(() => error);
      }),
    );
  }
}

/** Puts RedactingTypeOrmLogger in place of the console logger the shared data-source options give. */
@Injectable()
export class DatabaseLogRedaction implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    Object.assign(this.dataSource, { logger: new RedactingTypeOrmLogger() });
  }
}
