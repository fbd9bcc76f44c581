import { PipeTransform } from '@nestjs/common';
import { AppError, isUuid } from '@scholarpay/platform';


/** A path id must be a UUID: 400 naming the parameter otherwise (never a database error). */
export class ParseUuidPipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (!isUuid(value)) {
      throw AppError.validation('REQUEST.INVALID_ID', `${this.name} must be a UUID`, [{ field: this.name, problem: 'must be a UUID' }]);
    }
    return value.toLowerCase();
  }
}
