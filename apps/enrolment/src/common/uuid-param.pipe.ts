import { ParseUUIDPipe } from '@nestjs/common';
import { AppError } from '@scholarpay/platform';

/** A path id that is not a UUID is a 400 naming the parameter, not a 500 from Postgres. */
export function uuidParam(name = 'id'): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      AppError.validation('REQUEST.INVALID_ID', `${name} must be a UUID`, [
        { field: name, problem: 'must be a UUID' },
      ]),
  });
}
