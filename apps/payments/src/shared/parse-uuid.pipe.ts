import { PipeTransform } from '@nestjs/common';
import { AppError } from '@scholarpay/platform';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string is a UUID, as Postgres's uuid type reads one (so a query with it cannot fail on it). */
export function isUuid(value: string): boolean {
  return uuid.test(value);
}

/** A path id must be a UUID: 400 naming the parameter otherwise (never a database error). */
export class ParseUuidPipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (typeof value !== 'string' || !isUuid(value)) {
      throw AppError.validation('REQUEST.INVALID_ID', `${this.name} must be a UUID`, [{ field: this.name, problem: 'must be a UUID' }]);
    }
    return value.toLowerCase();
  }
}
