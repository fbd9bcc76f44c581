import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';

type Rule = (value: never) => { ok: true } | { ok: false; problem: string };

/**
 * Validates a DTO property with one of the domain's field rules, so the API and the CSV import
 * accept and refuse exactly the same values and say the same thing about them. Values of the wrong
 * type are left to the type decorators (@IsString, @IsInt) to report.
 */
export function Satisfies(
  rule: Rule,
  accepts: 'string' | 'number' = 'string',
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'satisfies',
      validator: {
        validate: (value: unknown) => typeof value !== accepts || rule(value as never).ok,
        defaultMessage: (args?: ValidationArguments) => {
          const value: unknown = args?.value;
          const result = typeof value === accepts ? rule(value as never) : null;
          return result && !result.ok ? result.problem : 'is not valid';
        },
      },
    },
    options,
  );
}
