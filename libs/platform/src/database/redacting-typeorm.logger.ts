import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { maskSensitiveText } from '../logging/redaction';

/**
 * TypeORM's console logger prints a failed query with its parameters, and those are national ids
 * and phone numbers. This one reports the failure (statement start and masked error message)
 * through the service's logger, never the parameters.
 */
export class RedactingTypeOrmLogger implements TypeOrmLogger {
  private readonly logger = new Logger('Database');

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    const message = typeof error === 'string' ? error : error.message;
    this.logger.warn({ statement: describeStatement(query), error: maskSensitiveText(message) }, 'query failed');
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
 * Removes from a database error what would carry personal data into a log: the query's parameters
 * and Postgres's `detail` ("Key (phone)=(+223...) already exists").
 */
export function scrubDatabaseError(error: unknown, seen = new Set<unknown>()): void {
  if (!error || typeof error !== 'object' || seen.has(error)) return;
  seen.add(error);
  const candidate = error as { parameters?: unknown; detail?: unknown; driverError?: unknown; where?: unknown; query?: unknown };
  if ('parameters' in candidate) candidate.parameters = '[REDACTED]';
  if ('detail' in candidate) candidate.detail = '[REDACTED]';
  if ('where' in candidate) candidate.where = '[REDACTED]';
  if (typeof candidate.query === 'string') candidate.query = describeStatement(candidate.query);
  if (candidate.driverError) scrubDatabaseError(candidate.driverError, seen);
}
