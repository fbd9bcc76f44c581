import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError, FieldProblem } from './app-error';

/** Flattens class-validator's tree into `{ field: 'a.b[0].c', problem }` entries. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    const constraints = error.constraints ?? {};
    if (error.value === undefined && Object.keys(constraints).length > 0) {
      // A missing field gets one problem that says so (with the DTO's own wording when it has an
      // @IsDefined), not one per rule a value would have had to meet.
      problems.push({ field, problem: constraints.isDefined ?? 'is required' });
    } else {
      // class-validator's own messages start with the property's name ("age must be a number"):
      // the field is named already.
      for (const message of Object.values(constraints)) {
        const problem = message.startsWith(`${error.property} `)
          ? message.slice(error.property.length + 1)
          : message;
        problems.push({ field, problem });
      }
    }
    if (error.children?.length) problems.push(...flattenValidationErrors(error.children, field));
  }
  return problems;
}

/**
 * Request DTOs are validated strictly: unknown fields are refused (a typo must not be silently
 * ignored when money is involved), types are not coerced behind the caller's back.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // The value is kept on each error only to tell a missing field from a wrong one; it is never
    // sent back or logged.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => {
      const fields = flattenValidationErrors(errors).map((entry) =>
        entry.problem.startsWith('property ') && entry.problem.endsWith(' should not exist')
          ? { field: entry.field, problem: 'is not a known field' }
          : entry,
      );
      return AppError.validation(
        'REQUEST.VALIDATION_FAILED',
        `the request is invalid: ${fields.map((entry) => `${entry.field} ${entry.problem}`).join('; ')}`,
        fields,
      );
    },
  });
}
