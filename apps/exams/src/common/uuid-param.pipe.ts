import { Injectable, type PipeTransform } from '@nestjs/common';
import { AppError, isUuid } from '@scholarpay/platform';


/** A path or query id that must be a UUID; a 400 names the parameter instead of a 404 or a database error. */
@Injectable()
export class UuidPipe implements PipeTransform<unknown, string> {
  constructor(private readonly name: string) {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !isUuid(value)) {
      throw AppError.validation('REQUEST.VALIDATION_FAILED', `${this.name} must be a UUID`, [
        { field: this.name, problem: 'must be a UUID' },
      ]);
    }
    return value.toLowerCase();
  }
}
