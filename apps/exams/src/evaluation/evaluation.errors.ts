import { AppError } from '@scholarpay/platform';
import { EvaluationInputError } from './statistics';
import type { CountProblem } from './two-by-two.rules';

export const EvaluationErrors = {
  invalidCounts: (problems: readonly CountProblem[]) =>
    AppError.validation(
      'EVALUATION.INVALID_COUNTS',
      `the counts are impossible: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`,
      [...problems],
    ),
};

/** The statistics refuse impossible input with their own error; it is the caller's 400, naming the field. */
export function asValidationError(error: unknown): unknown {
  if (error instanceof EvaluationInputError)
    return AppError.validation(error.code, error.message, [...error.fields]);
  return error;
}
