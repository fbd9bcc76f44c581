import { Injectable, PipeTransform } from '@nestjs/common';
import { AppError, isUuid } from '@scholarpay/platform';


/** A path parameter that must be a UUID: anything else is a 400 naming the parameter. */
@Injectable()
export class UuidParam implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (!isUuid(value)) {
      throw AppError.validation('REQUEST.INVALID_ID', `${this.name} must be a UUID`, [
        { field: this.name, problem: 'must be a UUID' },
      ]);
    }
    return value.toLowerCase();
  }
}
