import { Injectable, PipeTransform } from '@nestjs/common';
import { AppError } from '@scholarpay/platform';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path parameter that must be a UUID: anything else is a 400 naming the parameter. */
@Injectable()
export class UuidParam implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (!uuidPattern.test(value)) {
      throw AppError.validation('REQUEST.INVALID_ID', `${this.name} must be a UUID`, [
        { field: this.name, problem: 'must be a UUID' },
      ]);
    }
    return value.toLowerCase();
  }
}
