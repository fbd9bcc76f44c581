import { applyDecorators } from '@nestjs/common';
import { Transform, TransformFnParams } from 'class-transformer';
import { ValidateBy } from 'class-validator';

/**
 * A number in a query string, read strictly: only plain digits become a number ("2014" → 2014),
 * anything else ("abc", "", "0x7DE", "1e3", a repeated parameter) is left as it came, for the
 * validators to refuse by name. `Number()` would read "" as 0 and "0x7DE" as 2014.
 */
export function wholeNumberFromQuery({ value }: TransformFnParams): unknown {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * A whole-number query parameter within [min, max] (a page size), refused with one problem that
 * says what is wanted. Separate @IsInt/@Min/@Max would each report on "abc", and contradict each
 * other ("must not be less than 1", "must not be greater than 200").
 */
export function WholeNumberQueryParam(min: number, max: number): PropertyDecorator {
  return applyDecorators(
    Transform(wholeNumberFromQuery),
    ValidateBy({
      name: 'wholeNumberBetween',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max,
        defaultMessage: () => `must be a whole number between ${min} and ${max}`,
      },
    }),
  );
}
