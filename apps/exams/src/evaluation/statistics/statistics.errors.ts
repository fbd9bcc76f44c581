/** Stable codes clients may branch on; the HTTP layer maps every one of them to 400. */
export type EvaluationErrorCode = 'EVALUATION.INVALID_COUNTS' | 'EVALUATION.INVALID_RESULT';

/** Same shape as the platform's `FieldProblem`, so the HTTP layer can pass it through as is. */
export interface EvaluationFieldProblem {
  readonly field: string;
  readonly problem: string;
}

/**
 * Impossible input (negative or fractional counts, more passes than results, a malformed result
 * row). Kept free of Nest and of the platform lib so the statistics stay a plain module; the
 * exams HTTP layer wraps it as a validation error.
 */
export class EvaluationInputError extends Error {
  readonly fields: readonly EvaluationFieldProblem[];

  constructor(
    readonly code: EvaluationErrorCode,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
    this.name = 'EvaluationInputError';
    this.fields = [{ field, problem }];
  }
}
